// Reports as CSV in, JSON out: each hand-made workspace under
// tests/data/reports/ (the CSV files the report unit tests work out by
// hand) is imported with `closeloop import`, and every report listed in
// its expected/runs.json is run and compared, parsed, with the JSON file
// beside it.  A reviewer reads the CSV, the command and the JSON; adding a
// case is a directory of CSV files and one entry per report.
//
// runs.json: [{ "args": [REPORT, --period P, --now T, ...], "expect": FILE }]
// (the args follow `closeloop report` and always pass --now: no test reads
// the clock).  CLOSELOOP_GOLDEN_WRITE=1 writes the expected files from the
// binary under test instead of comparing: then check every figure by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KINDS, ROOT, ok, workspace } from './lib.mjs';

const CASES = path.join(ROOT, 'tests', 'data', 'reports');
const WRITE = process.env.CLOSELOOP_GOLDEN_WRITE === '1';

// The case directories: those holding an expected/runs.json.
function cases(dir, rel = '') {
    const out = [];
    if (existsSync(path.join(dir, 'expected', 'runs.json')))
        out.push(rel);
    for (const e of readdirSync(dir, { withFileTypes: true }))
        if (e.isDirectory() && e.name !== 'expected')
            out.push(...cases(path.join(dir, e.name), path.join(rel, e.name)));
    return out;
}

for (const name of cases(CASES)) {
    const dir = path.join(CASES, name);
    const runs = JSON.parse(readFileSync(path.join(dir, 'expected', 'runs.json'), 'utf8'));
    test(`the reports of ${name}`, async (t) => {
        // One workspace for the case, removed when its test ends.
        const db = workspace(t);
        // The import's own events (tasks, flags) are part of the
        // workspace, as they are a user's; they happen at the first run's
        // instant.
        const now = runs[0].args[runs[0].args.indexOf('--now') + 1];
        for (const kind of KINDS) {
            const file = path.join(dir, `${kind}.csv`);
            if (existsSync(file))
                ok(['import', kind, file, '--db', db, '--now', now]);
        }
        for (const r of runs) {
            await t.test(`closeloop report ${r.args.join(' ')} gives ${r.expect}`, () => {
                assert.ok(r.args.includes('--now'), 'every run passes --now');
                const got = JSON.parse(ok(['report', ...r.args, '--format', 'json',
                    '--db', db]).stdout);
                const file = path.join(dir, 'expected', r.expect);
                if (WRITE)
                    writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
                assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
            });
        }
    });
}
