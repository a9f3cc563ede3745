// closeloop report: the JSON contract and the md, csv and html renderings of
// the same figures, on a demo workspace, and the usage errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync }
    from 'node:fs';
import path from 'node:path';
import { demoCopy, ok, parseCsv, run, tempDir } from './lib.mjs';

const NOW = ['--now', '2026-11-23'];
let dir;
let db;

before(() => {
    dir = tempDir(null, 'closeloop-report-');
    db = path.join(dir, 'demo.db');
    demoCopy(db, NOW);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function report(name, extra = []) {
    return ok(['report', name, '--db', db, ...NOW, ...extra]);
}

// "36.6% (23.6–51.7%)" for a share and its interval, as the md shows it.
function pct(v) {
    return `${(v * 100).toFixed(1)}%`;
}

test('bad-fit JSON has the contract fields', () => {
    const r = JSON.parse(report('bad-fit', ['--period', '2026Q3',
        '--format', 'json']).stdout);
    assert.equal(r.period, '2026Q3');
    assert.equal(typeof r.cohort_size, 'number');
    assert.equal(typeof r.untagged, 'number');
    assert.equal(typeof r.impact, 'object');
    // Revenue impact leads: before the cohort and its categories.
    const keys = Object.keys(r);
    assert.ok(keys.indexOf('impact') < keys.indexOf('cohort_size'), keys);
    assert.ok(keys.indexOf('impact') < keys.indexOf('categories'), keys);
    assert.deepEqual(r.categories.map((c) => c.category),
        ['wrong_icp', 'misaligned_use_case', 'over_promised']);
    for (const c of r.categories) {
        for (const k of ['count', 'share', 'ci_low', 'ci_high', 'threshold'])
            assert.equal(typeof c[k], 'number', `${c.category}.${k}`);
        assert.equal(typeof c.fired, 'boolean');
        assert.ok(c.ci_low <= c.share && c.share <= c.ci_high);
    }
    assert.ok(Array.isArray(r.triggers));
    for (const t of r.triggers) {
        assert.equal(typeof t.kind, 'string');
        assert.match(t.due_on, /^\d{4}-\d{2}-\d{2}$/);
    }
    // The planted wrong-ICP share of 2026Q3 is about 37%: over 25%, fired.
    const icp = r.categories[0];
    assert.ok(icp.share > 0.25 && icp.fired, JSON.stringify(icp));
});

test('the md figures for the categories equal the JSON figures', () => {
    const args = ['--period', '2026Q3'];
    const r = JSON.parse(report('bad-fit', [...args, '--format', 'json'])
        .stdout);
    const md = report('bad-fit', [...args, '--format', 'md']).stdout;
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| Category |'));
    assert.ok(head >= 0, md);
    const cols = lines[head].split('|').map((s) => s.trim());
    const col = (name) => {
        const i = cols.indexOf(name);
        assert.ok(i > 0, `column ${name} in ${cols}`);
        return i;
    };
    for (const c of r.categories) {
        const row = lines.find((l) => l.startsWith(`| ${c.category} |`));
        assert.ok(row, `md row for ${c.category}`);
        const cells = row.split('|').map((s) => s.trim());
        assert.equal(cells[col('Count')], String(c.count));
        assert.equal(cells[col('Share (95% CI)')],
            `${pct(c.share)} (${(c.ci_low * 100).toFixed(1)}–${pct(c.ci_high)})`);
        assert.equal(cells[col('Threshold')], pct(c.threshold));
        assert.equal(cells[col('Fired')], c.fired ? 'yes' : 'no');
    }
});

test('md, csv and html are non-empty and carry the title', () => {
    const title = 'Quarterly bad-fit review';
    const md = report('bad-fit', ['--period', '2026Q3', '--format', 'md'])
        .stdout;
    assert.ok(md.startsWith(`# ${title} — 2026Q3\n`), md.slice(0, 80));
    const html = report('bad-fit', ['--period', '2026Q3', '--format', 'html'])
        .stdout;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes(`<h1>${title} &mdash; 2026Q3</h1>`));
    assert.ok(html.includes('<svg'), 'a chart of the category shares');
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /<script/);
    const csv = report('bad-fit', ['--period', '2026Q3', '--format', 'csv'])
        .stdout;
    const rows = parseCsv(csv);
    const at = rows.findIndex((row) => row[0] === '# categories');
    assert.ok(at >= 0, csv.slice(0, 200));
    const header = rows[at + 1];
    for (const k of ['category', 'count', 'share', 'ci_low', 'ci_high'])
        assert.ok(header.includes(k), header);
    assert.equal(rows[at + 2][0], 'wrong_icp');
    // The CSV holds the JSON's raw figures.
    const r = JSON.parse(report('bad-fit', ['--period', '2026Q3']).stdout);
    assert.equal(Number(rows[at + 2][header.indexOf('share')]),
        r.categories[0].share);
});

test('-o writes the file, and nothing else is left beside it', (t) => {
    const out = tempDir(t);
    const file = path.join(out, 'bad-fit.html');
    const r = report('bad-fit', ['--period', '2026Q3', '--format', 'html',
        '-o', file]);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(file, 'utf8'), /Quarterly bad-fit review/);
    assert.deepEqual(readdirSync(out), ['bad-fit.html']);
});

test('-o to a named pipe writes into it and leaves the pipe a pipe',
    async (t) => {
        // As -o /dev/null does: a rename over it would replace the device.
        const out = tempDir(t);
        const fifo = path.join(out, 'fifo');
        const got = path.join(out, 'got.json');
        assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
        const reader = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', fifo, got]);
        const done = new Promise((resolve) => reader.on('exit', resolve));
        const r = report('pipeline', ['-o', fifo]);
        assert.equal(r.stdout, '');
        assert.equal(await done, 0);
        assert.ok(statSync(fifo).isFIFO());
        assert.equal(readFileSync(got, 'utf8'), report('pipeline').stdout);
        assert.deepEqual(readdirSync(out).sort(), ['fifo', 'got.json']);
    });

test('a failed run leaves no file', (t) => {
    const out = tempDir(t);
    const file = path.join(out, 'x.md');
    const r = run(['report', 'bad-fit', '--period', '2026Q3', '--format',
        'md', '-o', file, '--db', path.join(out, 'missing', 'x.db'), ...NOW]);
    assert.equal(r.code, 3);
    assert.equal(existsSync(file), false);
    assert.deepEqual(readdirSync(out), []);
});

test('a month for a quarterly report is a usage error, one line', () => {
    const r = run(['report', 'bad-fit', '--period', '2026-07', '--db', db,
        ...NOW]);
    assert.equal(r.code, 2);
    assert.equal(r.lines.length, 1, r.stderr);
    assert.match(r.lines[0], /quarter/);
    assert.equal(r.stdout, '');
});

test('an unknown report, format or period is a usage error', () => {
    for (const args of [['report', 'nope'],
        ['report', 'icp', '--format', 'pdf'],
        ['report', 'icp', '--period', '2026Q5'],
        ['report', 'monthly', '--period', '2026Q3'],
        ['report']]) {
        const r = run([...args, '--db', db, ...NOW]);
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(r.lines.length, 1, r.stderr);
    }
    assert.match(run(['report', 'nope', '--db', db]).stderr,
        /unknown report 'nope'/);
});

test('--help lists the reports and their periods', () => {
    const r = ok(['report', '--help']);
    for (const name of ['monthly', 'bad-fit', 'icp', 'recovery', 'health',
        'audit', 'pipeline'])
        assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
    assert.match(r.stdout, /bad-fit .* quarter YYYYQn/);
    assert.match(r.stdout, /monthly .* month YYYY-MM/);
});

test('icp html has a chart per dimension and the retention curves', () => {
    const html = report('icp', ['--period', '2026Q3', '--format', 'html'])
        .stdout;
    const svgs = html.match(/<svg/g) || [];
    // Ten segment dimensions (the gut read is private) and one Kaplan-Meier
    // chart.
    assert.equal(svgs.length, 11);
    assert.match(html, /aria-label="Retention: Kaplan-Meier/);
    assert.doesNotMatch(html, /https?:\/\//);
    // Censoring is marked where the JSON counts it, once per curve at most.
    const json = JSON.parse(report('icp', ['--period', '2026Q3']).stdout);
    const curves = JSON.stringify(json).match(/"censored":[1-9]/g) || [];
    assert.ok(curves.length > 0, 'the demo has censored customers');
    assert.match(html, /<path class="censored" [^>]*d="M[\d.]+ [\d.]+v8/);
    assert.match(html, /ticks: customers still with us/);
});

test('the default period is the last full quarter before --now', () => {
    const r = JSON.parse(report('icp').stdout);
    assert.equal(r.period, '2026Q3');
});
