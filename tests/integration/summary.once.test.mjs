// summary.once.test.mjs - the one line CI reads ("N passed, N failed",
// scripts/summary.mjs) counts a test that ran past its timeout as failed.
// node --test reports such a test as "cancelled", not "fail"; CI once read
// "1301 passed, 0 failed" for a run whose accessibility walk had timed out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

// node --test's own TAP for a file of these tests, then summary.mjs on it.
function summarise(t, body) {
    const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-summary-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'x.test.mjs');
    writeFileSync(file, `import { test } from 'node:test';\n${body}\n`);
    // Without the variable by which node --test tells its own children to
    // report to it instead of printing TAP.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap',
        file], { encoding: 'utf8', env, timeout: 60_000 });
    const tap = path.join(dir, 'x.tap');
    writeFileSync(tap, run.stdout);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts',
        'summary.mjs'), '-', tap, '1'], { encoding: 'utf8', timeout: 60_000 });
    return { line: r.stdout.trim(), status: r.status };
}

test('a test past its timeout counts as failed, and the summary exits 1',
    (t) => {
        const r = summarise(t, `
test('slow', { timeout: 50 }, () => new Promise((ok) => setTimeout(ok, 2000)));
test('quick', () => {});`);
        assert.deepEqual(r, { line: '1 passed, 1 failed', status: 1 });
    });

test('passing tests count as passed, and the summary exits 0', (t) => {
    const r = summarise(t, `test('a', () => {});\ntest('b', () => {});`);
    assert.deepEqual(r, { line: '2 passed, 0 failed', status: 0 });
});
