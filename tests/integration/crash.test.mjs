// A process killed in the middle of an import leaves all or none of the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
    createWriteStream, existsSync, readFileSync, statSync, writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PG, fixturePath, info, ok, parseSummary, start, tempDir, workspace }
    from './lib.mjs';

// Large enough that the sanitized build is still writing when it is
// killed (the test says so otherwise), small enough for the suite's budget.
const NDEALS = 120_000;
const NACCOUNTS = 12_000;
// The import after the crash.
const NFEW = 2_000;

async function writeLines(file, header, n, line) {
    const out = createWriteStream(file);
    let chunk = header + '\n';
    for (let i = 0; i < n; i++) {
        chunk += line(i) + '\n';
        if (chunk.length > 1 << 20) {
            if (!out.write(chunk))
                await once(out, 'drain');
            chunk = '';
        }
    }
    out.end(chunk);
    await once(out, 'finish');
}

const pad = (i, w) => String(i).padStart(w, '0');
// Day n after 2020-01-01; deal i's dates are day(i % 1000 + offset), so the
// created <= first demo <= closed <= kickoff order always holds.
const day = (n) => new Date(Date.UTC(2020, 0, 1) + n * 86400000)
    .toISOString().slice(0, 10);

test('SIGKILL during a large import leaves all or nothing', async (t) => {
    const db = workspace(t);
    const dir = tempDir(t);
    ok(['import', 'users', fixturePath('users'), '--db', db]);
    const accounts = path.join(dir, 'accounts.csv');
    await writeLines(accounts, 'id,name,industry,employees,region,' +
        'has_ops_function,csm_id,customer_since,status', NACCOUNTS,
        (i) => `A${pad(i, 6)},Account ${i},Software,${10 + (i % 500)},EMEA,` +
            `${i % 2 ? 'true' : 'false'},U007,${day(i % 1000)},customer`);
    ok(['import', 'accounts', accounts, '--db', db], { timeout: 600_000 });

    const deals = path.join(dir, 'deals.csv');
    await writeLines(deals, 'id,account_id,ae_id,type,source,stage,' +
        'created_on,first_demo_on,closed_on,arr,loss_reason,icp_fit_score,' +
        'champion_level,champion_tenure_months,exec_sponsor,use_case,kickoff_on',
        NDEALS,
        (i) => `D${pad(i, 7)},A${pad(i % NACCOUNTS, 6)},U003,new,outbound,` +
            `closed_won,${day(i % 1000)},${day(i % 1000 + 10)},` +
            `${day(i % 1000 + 40)},${12000 + (i % 97) * 250},,${i % 101},` +
            `director,${i % 60},true,workflow automation,` +
            `${day(i % 1000 + 50)}`);
    const before = info(db).counts;
    assert.equal(before.accounts, NACCOUNTS);

    const { child, done } = start(['import', 'deals', deals, '--db', db]);
    const wal = `${db}-wal`;
    const walAtStart = existsSync(wal) ? statSync(wal).size : 0;
    const t0 = Date.now();
    let exited = false;
    done.then(() => { exited = true; });
    // Kill once the import is visibly writing pages (the WAL grew by 1 MiB),
    // while it still runs: the pages of an uncommitted (or half-committed)
    // transaction are then on disk, which is what recovery must ignore.
    // Killing before anything reached the disk would prove little.
    // On PostgreSQL the server holds the writes: kill once the import has
    // run a while (its rows are then sent, uncommitted).
    if (PG)
        await sleep(1500);
    while (!exited && !PG) {
        const size = existsSync(wal) ? statSync(wal).size : 0;
        if (size > walAtStart + (1 << 20) || Date.now() - t0 > 120_000)
            break;
        await sleep(2);
    }
    assert.equal(exited, false,
        'the import finished before it could be killed; make the file larger');
    const walAtKill = existsSync(wal) ? statSync(wal).size : 0;
    child.kill('SIGKILL');
    const r = await done;
    assert.equal(r.signal, 'SIGKILL');
    t.diagnostic(`killed after ${Date.now() - t0} ms, WAL ${walAtStart} -> ` +
        `${walAtKill} bytes`);

    // After the crash: the workspace opens, is intact, and holds all or none.
    const after = info(db).counts;
    assert.ok(after.deals === 0 || after.deals === NDEALS,
        `deals after kill: ${after.deals}`);
    t.diagnostic(`deals after the kill: ${after.deals}`);
    assert.equal(after.accounts, NACCOUNTS);
    if (after.deals === 0)
        assert.equal(after.audit, before.audit, 'no audit of a lost import');
    const check = spawnSync('sqlite3', [db, 'PRAGMA integrity_check;'],
        { encoding: 'utf8' });
    if (!check.error && !PG)
        assert.equal(check.stdout.trim(), 'ok');

    // The workspace takes the next import: the file's first deals, kept
    // small (a second import of all of them would prove no more, and takes
    // minutes under the sanitizers on a loaded machine).
    const few = path.join(dir, 'few.csv');
    writeFileSync(few, readFileSync(deals, 'utf8').split('\n')
        .slice(0, NFEW + 1).join('\n') + '\n');
    const again = ok(['import', 'deals', few, '--db', db]);
    const s = parseSummary(again.stdout);
    assert.equal(s.rows, NFEW);
    assert.equal(s.bad, 0);
    assert.equal(after.deals === 0 ? s.inserted : s.unchanged, NFEW);
    assert.equal(info(db).counts.deals, after.deals === 0 ? NFEW : NDEALS);
});
