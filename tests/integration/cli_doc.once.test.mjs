// cli_doc.once.test.mjs - docs/cli.md is what scripts/cli-doc.sh writes from
// the --help of the binary under test, so the command reference cannot
// drift from the commands.  After changing a usage text:
//     scripts/cli-doc.sh build/closeloop > docs/cli.md
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT } from './lib.mjs';

test('docs/cli.md matches scripts/cli-doc.sh on the binary', () => {
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'cli-doc.sh'), BIN],
        { encoding: 'utf8', timeout: 120_000 });
    if (r.error)
        throw r.error;
    assert.equal(r.status, 0, r.stderr);
    const want = r.stdout.split('\n');
    const have = readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8')
        .split('\n');
    // The first differing line says which command's --help changed.
    const n = Math.max(want.length, have.length);
    for (let i = 0; i < n; i++)
        assert.equal(have[i], want[i],
            `docs/cli.md:${i + 1} differs from the --help of ${BIN}; ` +
            'regenerate it: scripts/cli-doc.sh BINARY > docs/cli.md');
});
