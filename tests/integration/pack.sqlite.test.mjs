// closeloop report --pack: the quarterly pack from one load of the workspace
// equals the reports run one by one; --timing prints the seconds to stderr;
// and `demo --deals-per-account` adds pipeline deals and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { demoCopy, ok, run, tempDir } from './lib.mjs';

const NOW = ['--now', '2026-11-23'];
let dir;
let db;

before(() => {
    dir = tempDir(null, 'closeloop-pack-');
    db = path.join(dir, 'demo.db');
    demoCopy(db, NOW);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the pack holds the quarterly reports and the churn patterns', () => {
    const out = path.join(dir, 'pack');
    const r = ok(['report', '--pack', '--period', '2026Q3', '-o', out,
        '--timing', '--db', db, ...NOW]);
    assert.deepEqual(readdirSync(out).sort(),
        ['bad-fit.json', 'icp.json', 'patterns.json', 'recovery.json']);
    for (const name of ['bad-fit', 'icp', 'recovery']) {
        const alone = ok(['report', name, '--period', '2026Q3', '--db', db,
            ...NOW]).stdout;
        assert.deepEqual(JSON.parse(readFileSync(path.join(out,
            `${name}.json`), 'utf8')), JSON.parse(alone), name);
    }
    const pat = ok(['patterns', '--target', 'churn', '--db', db, ...NOW]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(out, 'patterns.json'),
        'utf8')), JSON.parse(pat.stdout));
    // One load, then each builder: seconds as plain numbers.
    const lines = r.stderr.trim().split('\n');
    const names = lines.map((l) => l.split(' ')[1]);
    assert.equal(names[0], 'load');
    for (const n of ['bad-fit', 'icp', 'recovery', 'patterns'])
        assert.ok(names.includes(n), r.stderr);
    for (const l of lines) assert.match(l, /^timing \S+ \d+\.\d{6}$/);
});

test('the pack in md writes md files', () => {
    const out = path.join(dir, 'pack-md');
    ok(['report', '--pack', '--period', '2026Q3', '--format', 'md', '-o',
        out, '--db', db, ...NOW]);
    assert.deepEqual(readdirSync(out).sort(),
        ['bad-fit.md', 'icp.md', 'patterns.json', 'recovery.md']);
    assert.match(readFileSync(path.join(out, 'icp.md'), 'utf8'), /^# /);
});

test('--pack needs -o and takes no report name', () => {
    let r = run(['report', '--pack', '--db', db, ...NOW]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pack needs -o DIR/);
    r = run(['report', '--pack', 'icp', '-o', path.join(dir, 'x'), '--db',
        db, ...NOW]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pack takes no report NAME/);
});

test('demo --deals-per-account adds pipeline deals and keeps the rest', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    ok(['demo', '--accounts', '400', '--csv', a, ...NOW]);
    ok(['demo', '--accounts', '400', '--deals-per-account', '3', '--csv', b,
        ...NOW]);
    for (const kind of ['accounts', 'churns', 'recoveries', 'cs_hours'])
        assert.equal(readFileSync(path.join(b, `${kind}.csv`), 'utf8'),
            readFileSync(path.join(a, `${kind}.csv`), 'utf8'), kind);
    const rows = (d) => readFileSync(path.join(d, 'deals.csv'), 'utf8')
        .trim().split('\n').slice(1);
    const da = rows(a), db2 = rows(b);
    const extra = db2.filter((l) => l.startsWith('d-x'));
    assert.deepEqual(db2.filter((l) => !l.startsWith('d-x')), da);
    // About 3 deals per account: 1,200 give or take the draw.
    assert.ok(db2.length > 1100 && db2.length < 1300, `${db2.length}`);
    for (const l of extra) {
        const stage = l.split(',')[5];
        assert.ok(!['closed_won'].includes(stage), l);
        assert.equal(l.split(',')[3], 'new', l);
    }
    // The workspace takes them: every generated row is valid.
    const ws = path.join(dir, 'x.db');
    const r = ok(['demo', '--accounts', '400', '--deals-per-account', '3',
        '--db', ws, ...NOW]);
    assert.match(r.stdout, new RegExp(`${db2.length} deals`));
    const bad = run(['demo', '--deals-per-account', 'lots', '--db', ws,
        ...NOW]);
    assert.equal(bad.code, 2);
});
