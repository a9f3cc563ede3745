// Bad input: row errors with file, line and column; all-or-nothing files;
// --skip-bad; header checks; references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    exportKind, fixture, fixturePath, info, ok, parseCsv, parseSummary, run,
    tempDir, workspace, writeCsv,
} from './lib.mjs';

const ACCOUNTS_HEADER = 'id,name,industry,employees,region,has_ops_function,' +
    'csm_id,customer_since,status';

// A workspace holding the canonical users, for files that refer to them.
function withUsers(t) {
    const db = workspace(t);
    ok(['import', 'users', fixturePath('users'), '--db', db]);
    return db;
}

test('a bad cell names file, line and column and nothing of the file is applied',
    (t) => {
        const db = withUsers(t);
        const dir = tempDir(t);
        writeCsv(dir, 'accounts.csv', [
            ACCOUNTS_HEADER,
            'A101,Good One,Software,50,EMEA,true,U007,2024-01-01,customer',
            'A102,Good Two,Retail,120,NA,false,U007,2024-02-01,customer',
            'A103,Bad Count,Retail,many,NA,false,U007,2024-03-01,customer',
            'A104,Good Four,Education,30,APAC,true,,,prospect',
        ].join('\n') + '\n');
        const before = info(db);
        // FILE is reported as given on the command line (relative here).
        const r = run(['import', 'accounts', 'accounts.csv', '--db', db],
            { cwd: dir });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.lines[0],
            "accounts.csv:4: employees: expected a whole number, got 'many'");
        assert.match(r.lines[r.lines.length - 1],
            /^closeloop: accounts\.csv: 1 bad rows?; nothing imported$/);
        assert.equal(r.lines.length, 2, r.stderr);
        const after = info(db);
        assert.deepEqual(after.counts, before.counts);
        assert.equal(exportKind(db, 'accounts'), ACCOUNTS_HEADER + '\n');
    });

test('a NUL byte in a cell is a bad row naming line and column; nothing is ' +
    'applied', (t) => {
    const db = withUsers(t);
    const dir = tempDir(t);
    writeCsv(dir, 'accounts.csv', [
        ACCOUNTS_HEADER,
        'A101,Good One,Software,50,EMEA,true,U007,2024-01-01,customer',
        'A102,Acme\0 Evil,Retail,120,NA,false,U007,2024-02-01,customer',
        'A103,Good Three,Retail,12,NA,false,U007,2024-03-01,customer',
    ].join('\n') + '\n');
    const before = info(db);
    const r = run(['import', 'accounts', 'accounts.csv', '--db', db],
        { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines[0], 'accounts.csv:3: name: holds a NUL byte (0x00)');
    assert.equal(r.lines.length, 2, r.stderr);
    assert.deepEqual(info(db).counts, before.counts);
    assert.equal(exportKind(db, 'accounts'), ACCOUNTS_HEADER + '\n');
    // With --skip-bad the others go in and the bad one is listed.
    const s = run(['import', 'accounts', 'accounts.csv', '--db', db,
        '--skip-bad'], { cwd: dir });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /accounts\.csv:3: name: holds a NUL byte/);
    assert.deepEqual(parseCsv(exportKind(db, 'accounts')).slice(1)
        .map((x) => x[0]), ['A101', 'A103']);
    // A NUL in the header is an error of the file.
    writeCsv(dir, 'h.csv', 'id,na\0me\n');
    const h = run(['import', 'accounts', 'h.csv', '--db', db], { cwd: dir });
    assert.equal(h.code, 1);
    assert.equal(h.lines[0], 'h.csv:1: header: column 2 holds a ' +
        'NUL byte');
});

// Found by fuzz_csv_import (tests/fuzz/crashes/csv_import): a quoted
// header cell holding a newline made a bad row's message two lines.
test('a message stays one line when the header names a column across lines',
    (t) => {
        const db = withUsers(t);
        const dir = tempDir(t);
        writeCsv(dir, 'accounts.csv', [
            ACCOUNTS_HEADER + ',"Notes\n===\nmore"',
            'A101,Acme\0 Evil,Retail,120,NA,false,U007,2024-02-01,customer,x',
            'A102,Good,Retail,120,NA,false,U007,2024-02-01,customer,"a\0"',
        ].join('\n') + '\n');
        const r = run(['import', 'accounts', 'accounts.csv', '--db', db,
            '--ignore-extra'], { cwd: dir });
        assert.equal(r.code, 1, r.stderr);
        // Lines are the file's: the header takes three.
        assert.deepEqual(r.lines.slice(0, 2), [
            'accounts.csv:4: name: holds a NUL byte (0x00)',
            'accounts.csv:5: Notes?===?more: holds a NUL byte (0x00)',
        ]);
        assert.equal(r.lines.length, 3, r.stderr);
    });

test('--skip-bad applies the good rows and lists every bad one', (t) => {
    const db = withUsers(t);
    const dir = tempDir(t);
    const file = writeCsv(dir, 'accounts.csv', [
        ACCOUNTS_HEADER,
        'A101,Good One,Software,50,EMEA,true,U007,2024-01-01,customer',
        'A102,Bad Count,Retail,many,NA,false,U007,2024-02-01,customer',
        'A103,Good Three,Retail,120,NA,false,U007,2024-03-01,customer',
        'A104,Bad Status,Education,30,APAC,true,,,gone',
        'A105,Bad Date,Education,30,APAC,true,U007,2024-02-30,customer',
        'A106,Good Six,Education,30,APAC,,,,prospect',
    ].join('\n') + '\n');
    const before = info(db).counts;
    const r = run(['import', 'accounts', file, '--db', db, '--skip-bad']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseSummary(r.stdout), { kind: 'accounts', rows: 6,
        inserted: 3, updated: 0, unchanged: 0, bad: 3 });
    assert.equal(r.lines.length, 3, r.stderr);
    assert.equal(r.lines[0],
        `${file}:3: employees: expected a whole number, got 'many'`);
    assert.ok(r.lines[1].startsWith(`${file}:5: status: `), r.lines[1]);
    assert.match(r.lines[1], /gone/);
    assert.ok(r.lines[2].startsWith(`${file}:6: customer_since: `), r.lines[2]);
    assert.match(r.lines[2], /2024-02-30/);
    assert.equal(info(db).counts.accounts, before.accounts + 3);
    const ids = parseCsv(exportKind(db, 'accounts')).slice(1).map((row) => row[0]);
    assert.deepEqual(ids, ['A101', 'A103', 'A106']);
});

test('columns may come in any order', (t) => {
    const db = withUsers(t);
    const rows = parseCsv(fixture('accounts'));
    const order = [...rows[0].keys()].reverse();
    const file = writeCsv(tempDir(t), 'accounts.csv',
        rows.map((row) => order.map((i) => row[i])));
    ok(['import', 'accounts', file, '--db', db]);
    assert.equal(exportKind(db, 'accounts'), fixture('accounts'));
});

test('an unknown column is an error unless --ignore-extra', (t) => {
    const db = withUsers(t);
    const rows = parseCsv(fixture('accounts'));
    const withExtra = rows.map((row, i) => [...row.slice(0, 3),
        i === 0 ? 'foo' : `x${i}`, ...row.slice(3)]);
    const dir = tempDir(t);
    writeCsv(dir, 'accounts.csv', withExtra);
    const before = info(db).counts;
    const r = run(['import', 'accounts', 'accounts.csv', '--db', db],
        { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines[0], 'accounts.csv:1: foo: unknown column');
    assert.deepEqual(info(db).counts, before);

    const r2 = run(['import', 'accounts', 'accounts.csv', '--db', db,
        '--ignore-extra'], { cwd: dir });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(exportKind(db, 'accounts'), fixture('accounts'));
});

test('a missing required column is an error naming it', (t) => {
    const db = withUsers(t);
    ok(['import', 'accounts', fixturePath('accounts'), '--db', db]);
    const rows = parseCsv(fixture('deals'));
    const col = rows[0].indexOf('account_id');
    const dir = tempDir(t);
    writeCsv(dir, 'deals.csv', rows.map((row) => row.filter((_, i) => i !== col)));
    const before = info(db).counts;
    const r = run(['import', 'deals', 'deals.csv', '--db', db], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines[0], 'deals.csv:1: account_id: required column missing');
    assert.deepEqual(info(db).counts, before);
});

test('a reference to a missing record is a bad row', (t) => {
    const db = withUsers(t);
    ok(['import', 'accounts', fixturePath('accounts'), '--db', db]);
    const lines = fixture('deals').trimEnd().split('\n').slice(0, 4);
    lines[2] = lines[2].replace(',A002,', ',A999,');
    const dir = tempDir(t);
    writeCsv(dir, 'deals.csv', lines.join('\n') + '\n');
    const before = info(db).counts;
    const r = run(['import', 'deals', 'deals.csv', '--db', db], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines[0],
        "deals.csv:3: account_id: no accounts record with id 'A999'");
    assert.deepEqual(info(db).counts, before);
});

test('a reference to an id earlier in the same file works', (t) => {
    const db = workspace(t);
    const file = writeCsv(tempDir(t), 'users.csv', [
        'id,name,email,role,manager_id,team',
        'M1,Ada Lead,ada@example.com,sales_manager,,Sales',
        'E1,Ben Seller,ben@example.com,ae,M1,Sales',
        'E2,Cy Seller,cy@example.com,ae,E9,Sales',
    ].join('\n') + '\n');
    const r = run(['import', 'users', file, '--db', db, '--skip-bad']);
    assert.equal(r.code, 0, r.stderr);
    // E1 -> M1 resolves within the file; E2 -> E9 exists nowhere.
    assert.deepEqual(r.lines,
        [`${file}:4: manager_id: no users record with id 'E9'`]);
    assert.deepEqual(parseCsv(exportKind(db, 'users')).slice(1),
        [['E1', 'Ben Seller', 'ben@example.com', 'ae', 'M1', 'Sales'],
         ['M1', 'Ada Lead', 'ada@example.com', 'sales_manager', '', 'Sales']]);
});
