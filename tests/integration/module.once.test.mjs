// The executable's modules (src/module/module.h): a command loads only the
// ones it needs, and one that is missing is named in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, tempDir } from './lib.mjs';

// Runs a copy of closeloop that has no modules beside it.
function alone(t) {
    const dir = tempDir(t);
    const bin = path.join(dir, 'closeloop');
    copyFileSync(BIN, bin);
    spawnSync('chmod', ['+x', bin]);
    const cl = (...args) => {
        const r = spawnSync(bin, args, { encoding: 'utf8', cwd: dir });
        return { code: r.status, out: r.stdout, lines: r.stderr.split('\n')
            .filter((l) => l !== '') };
    };
    return { dir, cl };
}

test('without its modules, the SQLite commands work and the others name ' +
    'the module they need', (t) => {
    const { dir, cl } = alone(t);
    const db = path.join(dir, 'w.db');
    assert.equal(cl('init', '--db', db).code, 0);
    assert.match(cl('info', '--db', db).out, /schema version/);
    for (const [args, module, what] of [
        [['info', '--db', 'postgres://127.0.0.1:1/none'], 'pg', 'PostgreSQL'],
        [['serve', '--db', db, '--listen', '127.0.0.1:0'], 'serve',
            'the web server'],
        [['deliver', '--db', db], 'net', 'sending e-mail'],
    ]) {
        const r = cl(...args);
        assert.equal(r.code, 3, args.join(' '));
        assert.equal(r.lines.length, 1, r.lines.join('\n'));
        assert.match(r.lines[0], new RegExp(`closeloop-${module}\\.so ` +
            `\\(${what}.*\\) is not installed: looked beside the ` +
            `executable \\(${dir}\\)`));
    }
});

// The shared objects a run of closeloop opened (the loader's LD_DEBUG).
function opened(args) {
    const r = spawnSync(BIN, args, { encoding: 'utf8',
        env: { ...process.env, LD_DEBUG: 'files' } });
    return [...r.stderr.matchAll(/file=(\S+) \[0\];  needed by/g)]
        .map((m) => path.basename(m[1]).replace(/\.so.*/, ''));
}

test('a command opens the modules it needs and their libraries, no others',
    (t) => {
        const db = path.join(tempDir(t), 'w.db');
        const sqlite = opened(['init', '--db', db]);
        assert.ok(sqlite.includes('libsqlite3'), sqlite.join(' '));
        for (const lib of ['libpq', 'libcurl', 'libmicrohttpd', 'libxml2'])
            assert.ok(!sqlite.includes(lib), lib);
        const pg = opened(['info', '--db', 'postgres://127.0.0.1:1/none']);
        assert.ok(pg.includes('libpq'), pg.join(' '));
        assert.ok(!pg.includes('libcurl') && !pg.includes('libxml2'),
            pg.join(' '));
    });
