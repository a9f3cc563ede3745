// summary.mjs - prints the one line CI reads, "N passed, N failed".
//
// usage: node scripts/summary.mjs TESTLOG_JSON NODE_TAP BUILD_OK
//            [TESTLOG_JSON NODE_TAP]... [--release-build OK]
// (more pairs: further runs of the suites, e.g. on PostgreSQL; a pair's
// TESTLOG_JSON is '-' for a node-only run such as the browser tests).
// Sums cmocka's per-executable counts from meson's testlog.json (one JSON
// object per line) and node --test's closing "# pass N" / "# fail N" /
// "# cancelled N" (a test past its timeout is cancelled, not failed: it
// counts as a failure here).
// --release-build counts the release build (scripts/run.sh's) as one test;
// --fuzz LOG adds the closing "N passed, N failed" of scripts/fuzz.sh's
// output (one per target; a log without that line counts as one failure).
// Exits 1 when anything failed or nothing could be counted.
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let releaseOk = null;
const flag = args.indexOf('--release-build');
if (flag >= 0)
    releaseOk = args.splice(flag, 2)[1];
let fuzzLog = null;
const fuzzFlag = args.indexOf('--fuzz');
if (fuzzFlag >= 0)
    fuzzLog = args.splice(fuzzFlag, 2)[1];
const [testlog0, tap0, buildOk, ...more] = args;
let passed = 0;
let failed = 0;

if (releaseOk !== null) {
    if (releaseOk === '1')
        passed += 1;
    else
        failed += 1;
}

if (buildOk !== '1')
    failed += 1; // the build itself failed: nothing below ran

const runs = [[testlog0, tap0]];
for (let i = 0; i + 1 < more.length; i += 2)
    runs.push([more[i], more[i + 1]]);

for (const [testlog, tap] of runs) {
    if (testlog && existsSync(testlog)) {
        for (const line of readFileSync(testlog, 'utf8').split('\n')) {
            if (!line.trim())
                continue;
            const t = JSON.parse(line);
            const out = `${t.stdout ?? ''}\n${t.stderr ?? ''}`;
            const p = out.match(/\[ {2}PASSED {2}\] (\d+) test/);
            const f = out.match(/\[ {2}FAILED {2}\] (\d+) test/);
            const ok = t.result === 'OK' || t.result === 'EXPECTEDFAIL';
            if (p || f) {
                const np = p ? Number(p[1]) : 0;
                const nf = f ? Number(f[1]) : 0;
                passed += np;
                failed += nf;
                // cmocka finished but the executable still failed afterwards
                // (a sanitizer report at exit, a crash in teardown).
                if (!ok && nf === 0)
                    failed += 1;
            } else if (ok) {
                passed += 1; // a test that is not a cmocka executable
            } else {
                failed += 1; // crashed before cmocka could report
                console.error(`summary: ${t.name}: ${t.result} without cmocka counts`);
            }
        }
    }

    if (tap && existsSync(tap)) {
        const text = readFileSync(tap, 'utf8');
        const last = (re) => {
            let m, v = null;
            while ((m = re.exec(text)) !== null)
                v = Number(m[1]);
            return v;
        };
        const np = last(/^# pass (\d+)$/gm);
        const nf = last(/^# fail (\d+)$/gm);
        const nc = last(/^# cancelled (\d+)$/gm);
        if (np === null && nf === null)
            failed += 1; // node --test did not get to its summary
        passed += np ?? 0;
        failed += (nf ?? 0) + (nc ?? 0);
    } else if (tap && buildOk === '1') {
        failed += 1; // the run never started (e.g. no PostgreSQL)
        console.error(`summary: ${tap}: missing`);
    }
}

if (fuzzLog !== null) {
    const text = existsSync(fuzzLog) ? readFileSync(fuzzLog, 'utf8') : '';
    const m = [...text.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
    if (m) {
        passed += Number(m[1]);
        failed += Number(m[2]);
    } else {
        failed += 1;
        console.error(`summary: ${fuzzLog}: no closing line`);
    }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
