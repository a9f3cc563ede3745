// closeloop patterns on the demo workspace: the JSON contract and the
// planted small-team pattern; md output; option errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ok, run, tempDir } from './lib.mjs';

const NOW = ['--now', '2026-11-23'];

function demo(t) {
    const db = path.join(tempDir(t), 'ws.db');
    ok(['demo', '--db', db, '--accounts', '3000', '--seed', '1', ...NOW]);
    return db;
}

test('patterns --format json follows the contract and finds the planted ' +
     'pattern', (t) => {
    const db = demo(t);
    const r = ok(['patterns', '--db', db, '--format', 'json', ...NOW]);
    const j = JSON.parse(r.stdout);
    assert.equal(j.target, 'churn');
    assert.equal(j.period, null);
    assert.ok(j.population > 1000);
    assert.ok(j.base_rate > 0.1 && j.base_rate < 0.4);
    assert.ok(Array.isArray(j.patterns) && j.patterns.length > 0);
    for (const p of j.patterns) {
        for (const k of ['conditions', 'count', 'target_count', 'rate',
            'lift', 'p_value', 'q_value', 'description'])
            assert.ok(k in p, `pattern has ${k}`);
        assert.ok(p.q_value < 0.05);
        assert.ok(p.rate > j.base_rate);
        assert.ok(p.conditions.length >= 1 && p.conditions.length <= 3);
        for (const c of p.conditions)
            assert.deepEqual(Object.keys(c), ['field', 'op', 'value']);
    }
    const small = j.patterns.find((p) => p.conditions.length === 2 &&
        p.conditions.some((c) => c.field === 'employees' && c.op === '<' &&
            c.value === '20') &&
        p.conditions.some((c) => c.field === 'has_ops_function' &&
            c.op === '=' && c.value === 'false'));
    assert.ok(small, 'the planted small-team pattern is reported');
    assert.ok(small.lift > 1.9);
    assert.match(small.description,
        /^Teams under 20 people with no ops function: \d+ customers, \d+ churned/);
    // JSON is the default format.
    const d = ok(['patterns', '--db', db, ...NOW]);
    assert.deepEqual(JSON.parse(d.stdout), j);
});

test('patterns --format md, other targets and a period', (t) => {
    const db = demo(t);
    const md = ok(['patterns', '--db', db, '--format', 'md', ...NOW]);
    assert.match(md.stdout, /^# Patterns: Churned customers/);
    assert.match(md.stdout, /\| # \| Conditions \|/);
    assert.match(md.stdout, /Teams under 20 people with no ops function/);
    for (const target of ['recovery', 'lost']) {
        const j = JSON.parse(ok(['patterns', '--db', db, '--target', target,
            '--period', '2026Q3', ...NOW]).stdout);
        assert.equal(j.target, target);
        assert.equal(j.period, '2026Q3');
        assert.ok(j.population > 0);
    }
});

test('patterns refuses bad options in one line', (t) => {
    const db = demo(t);
    for (const args of [['--target', 'x'], ['--period', '2026Q5'],
        ['--format', 'csv'], ['--min-support', '0']]) {
        const r = run(['patterns', '--db', db, ...args, ...NOW]);
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(r.lines.length, 1);
        assert.match(r.lines[0], /^closeloop patterns: /);
    }
    const h = ok(['patterns', '--help']);
    assert.match(h.stdout, /--target/);
});

// Issue 14: the ICP review's pack holds the patterns and the open pipeline
// that matches them; the patterns report serves them to every role.
test('the patterns report and the ICP review show the pipeline matching ' +
     'each churn pattern, as the pipeline report flags it', async (t) => {
    const db = demo(t);
    const report = (name, ...extra) => JSON.parse(ok(['report', name,
        '--db', db, '--format', 'json', ...NOW, ...extra]).stdout);
    const pat = report('patterns');
    const pipe = report('pipeline');
    assert.ok(pat.patterns.length > 0);
    assert.equal(pat.as_of, '2026-11-23');
    assert.equal(pat.open_pipeline.open_deals, pipe.summary.open_deals);
    // A deal is flagged churn_pattern when it matches any pattern.
    assert.equal(pat.open_pipeline.matching_deals, pipe.summary.churn_pattern);
    assert.ok(pat.open_pipeline.matching_deals > 0);
    let most = 0;
    for (const p of pat.patterns) {
        assert.ok(p.open_pipeline.deals <= pat.open_pipeline.matching_deals);
        assert.ok(p.open_pipeline.arr >= 0);
        most = Math.max(most, p.open_pipeline.deals);
    }
    assert.ok(most > 0, 'some pattern matches open deals');
    // The ICP review of the last quarter carries them as of its end.
    const icp = report('icp', '--period', '2026Q3');
    assert.equal(icp.patterns.as_of, '2026-09-30');
    assert.ok(icp.patterns.patterns.length > 0);
    assert.ok('open_pipeline' in icp.patterns.patterns[0]);
    // Cohort language only: no AE id or name anywhere.
    const users = ok(['export', 'users', '--db', db]).stdout.split('\n')
        .slice(1).filter(Boolean).map((l) => l.split(',')[0]);
    const text = JSON.stringify(pat);
    for (const u of users)
        assert.ok(!text.includes(`"${u}"`), `names ${u}`);
});
