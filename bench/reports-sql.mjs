// reports-sql.mjs - the SQL side of bench/reports.sh: runs the aggregates of
// bench/reports-sql/*.sql on SQLite (the sqlite3 CLI against the workspace
// file) and on DuckDB (@duckdb/node-api, tables loaded once from
// `closeloop export` CSV files into a cached DuckDB file), times each
// query, and checks every figure against closeloop's JSON from
// `closeloop report --pack`.
//
// usage: node reports-sql.mjs --db WORKSPACE.db --duck FILE.duckdb
//          --csv DIR --pack DIR --from D --to D --today D --out RESULT.json
//          [--timing FILE --wall SECONDS]
//          [--timing-cold FILE --wall-cold SECONDS]
//          [--reports icp,...] [--engines duckdb] [--repeat N]
// FILE holds closeloop's `--timing` lines of the warm run (snapshot from
// its cache file), --timing-cold those of the cold run (read from SQLite,
// cache written); the table goes to stdout.  bench/million.sh runs only
// the icp figures on DuckDB (--reports icp --engines duckdb) over tables
// loaded from its generated CSV: a table whose CSV is missing is not
// loaded.  With --repeat N each query runs N times and its median counts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = dirname(fileURLToPath(import.meta.url));
const args = {};
for (let i = 2; i < process.argv.length; i += 2)
    args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const REPORTS = (args.reports ?? 'bad-fit,icp,recovery,patterns').split(',');
const ENGINES = (args.engines ?? 'sqlite,duckdb').split(',');
const REPEAT = Number(args.repeat ?? 1);
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

function sqlText(name, engine) {
    const toMonth = args.to.slice(0, 7);
    let s = readFileSync(join(here, 'reports-sql', `${name}.sql`), 'utf8')
        .replaceAll('@FROM@', args.from).replaceAll('@TO@', args.to)
        .replaceAll('@TOMONTH@', toMonth).replaceAll('@TODAY@', args.today);
    // A date as a day number: SQLite reads the TEXT dates with julianday,
    // DuckDB subtracts its DATE columns.
    s = s.replace(/DAYS\(([^()]*)\)/g, (_, x) => engine === 'sqlite'
        ? `CAST(julianday(${x}) AS INTEGER)`
        : `(CAST(${x} AS DATE) - DATE '1970-01-01')`);
    return s;
}

const num = (v) => v === null || v === undefined ? null
    : typeof v === 'object' ? Number(v.toString()) : Number(v);

function rowsToMap(rows) {
    const m = new Map();
    for (const r of rows) {
        m.set(r.k, num(r.v));
        if (r.t !== undefined && r.t !== null) m.set(r.k + '#t', num(r.t));
    }
    return m;
}

function runSqlite(name) {
    const sql = sqlText(name, 'sqlite');
    const t0 = process.hrtime.bigint();
    const p = spawnSync('sqlite3', ['-readonly', '-json', args.db],
        { input: sql, maxBuffer: 1 << 30, encoding: 'utf8' });
    const t1 = process.hrtime.bigint();
    if (p.status !== 0) throw new Error(`sqlite3 ${name}: ${p.stderr}`);
    const rows = p.stdout.trim() ? JSON.parse(p.stdout) : [];
    return { seconds: Number(t1 - t0) / 1e9, map: rowsToMap(rows) };
}

const TABLES = {
    accounts: { employees: 'INTEGER', has_ops_function: 'BOOLEAN',
        customer_since: 'DATE' },
    deals: { created_on: 'DATE', first_demo_on: 'DATE', closed_on: 'DATE',
        kickoff_on: 'DATE', arr: 'DOUBLE', icp_fit_score: 'INTEGER',
        champion_tenure_months: 'INTEGER', exec_sponsor: 'BOOLEAN',
        loss_reason: 'VARCHAR', ae_id: 'VARCHAR', source: 'VARCHAR' },
    churns: { churned_on: 'DATE', tagged_on: 'DATE', arr_lost: 'DOUBLE',
        primary_cause: 'VARCHAR', deal_id: 'VARCHAR' },
    recoveries: { logged_on: 'DATE', recovery_type: 'VARCHAR' },
    cs_hours: { month: 'VARCHAR', hours: 'DOUBLE' },
};

async function duckConnect() {
    const fresh = !existsSync(args.duck);
    const inst = await DuckDBInstance.create(args.duck);
    const con = await inst.connect();
    await con.run('SET autoinstall_known_extensions = false');
    await con.run('SET autoload_known_extensions = false');
    if (fresh) {
        for (const [t, types] of Object.entries(TABLES)) {
            if (!existsSync(join(args.csv, t + '.csv'))) continue;
            const ty = Object.entries(types)
                .map(([c, y]) => `'${c}': '${y}'`).join(', ');
            await con.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv(` +
                `'${join(args.csv, t + '.csv')}', header = true, ` +
                `types = {${ty}})`);
        }
        await con.run('CHECKPOINT');
    }
    return con;
}

async function runDuck(con, name) {
    const sql = sqlText(name, 'duckdb');
    const times = [];
    let rows;
    for (let i = 0; i < REPEAT; i++) {
        const t0 = process.hrtime.bigint();
        const r = await con.runAndReadAll(sql);
        rows = r.getRowObjects();
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return { seconds: median(times), map: rowsToMap(rows) };
}

// closeloop's figures as (key, value, decimals) in the keys the SQL gives.
function closeloopFigures(name) {
    const j = JSON.parse(readFileSync(join(args.pack, `${name}.json`), 'utf8'));
    const out = [];
    const add = (k, v, dec, group) => out.push({ k, v, dec, group });
    if (name === 'bad-fit') {
        for (const k of ['cohort_size', 'untagged', 'bad_fit_churns'])
            add(k, j[k], 0, k);
        for (const c of j.categories) {
            add(`categories.${c.category}.count`, c.count, 0, 'categories.count');
            add(`categories.${c.category}.ci_low`, c.ci_low, 6,
                'categories.wilson_ci');
            add(`categories.${c.category}.ci_high`, c.ci_high, 6,
                'categories.wilson_ci');
        }
        const im = j.impact;
        add('impact.arr_lost', im.arr_lost, 2, 'impact.arr_lost');
        add('impact.bad_fit.arr_lost', im.bad_fit.arr_lost, 2,
            'impact.bad_fit.arr_lost');
        add('impact.expansion_arr', im.expansion_arr, 2,
            'impact.expansion_arr');
        add('impact.bad_fit.expansion_arr', im.bad_fit.expansion_arr, 2,
            'impact.bad_fit.expansion_arr');
        add('impact.cs_hours_per_account.cohort',
            im.cs_hours_per_account.cohort, 2, 'impact.cs_hours_per_account');
        add('impact.cs_hours_per_account.bad_fit',
            im.cs_hours_per_account.bad_fit, 2, 'impact.cs_hours_per_account');
    } else if (name === 'icp') {
        const seg = (pre, s) => {
            add(`${pre}.customers`, s.customers, 0, 'customers');
            add(`${pre}.churned`, s.churned, 0, 'churned');
            add(`${pre}.churn_12m`, s.churn_12m, 6, 'churn_12m (KM)');
            if (s.ci_low !== null && s.churn_12m > 0 && s.churn_12m < 1) {
                add(`${pre}.ci_low`, s.ci_low, 6, 'churn_12m interval');
                add(`${pre}.ci_high`, s.ci_high, 6, 'churn_12m interval');
            }
        };
        seg('all.all', j.churn_12m_all);
        for (const s of j.segments)
            seg(`${s.dimension}.${s.value === null ? 'null' : s.value}`, s);
    } else if (name === 'recovery') {
        add('recoveries', j.recoveries, 0, 'recoveries');
        for (const t of j.by_type)
            if (t.count > 0) add(`by_type.${t.type}`, t.count, 0, 'by_type');
        for (const c of j.clusters)
            add(`clusters.${c.dimension}.${c.value}`, c.count, 0,
                `clusters.${c.dimension}`);
    } else if (name === 'patterns') {
        add('population', j.population, 0, 'population');
        add('targets', j.targets, 0, 'targets');
        for (const p of j.patterns) {
            if (p.conditions.length > 2) continue;
            const keys = p.conditions.map((c) => {
                let v = c.value;
                if (c.field === 'arr') v = String(Number(v.split('-')[0]));
                return { f: c.field, key: `${c.field}|${c.op}|${v}` };
            }).sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
            const k = (keys.length === 1 ? 'p1:' : 'p2:') +
                keys.map((x) => x.key).join('&');
            const g = keys.length === 1 ? 'single-condition' : 'pairwise';
            add(k, p.count, 0, `${g} count`);
            add(k + '#t', p.target_count, 0, `${g} target count`);
        }
    }
    return out;
}

function check(name, figs, map) {
    const groups = new Map();
    for (const f of figs) {
        const g = groups.get(f.group) ?? { n: 0, bad: [] };
        groups.set(f.group, g);
        g.n++;
        const s = map.get(f.k);
        const tol = f.dec === 0 ? 0 : 0.5 * 10 ** -f.dec + 1e-9;
        const ok = f.v === null ? s === null || s === undefined
            : s !== undefined && s !== null && Math.abs(s - f.v) <= tol;
        if (!ok) g.bad.push(`${f.k}: closeloop ${f.v}, sql ${s}`);
    }
    return groups;
}

const con = ENGINES.includes('duckdb') ? await duckConnect() : null;
const result = { reports: {}, checks: [], ok: true };
for (const name of REPORTS) {
    const figs = closeloopFigures(name);
    const runs = {};
    if (ENGINES.includes('sqlite')) runs.sqlite = runSqlite(name);
    if (ENGINES.includes('duckdb')) runs.duckdb = await runDuck(con, name);
    result.reports[name] = {};
    const checks = {};
    for (const [e, x] of Object.entries(runs)) {
        result.reports[name][e] = x.seconds;
        checks[e] = check(name, figs, x.map);
    }
    const first = Object.values(checks)[0];
    for (const [g, s] of first) {
        const per = Object.entries(checks).map(([e, c]) => [e, c.get(g)]);
        const ok = per.every(([, c]) => c.bad.length === 0);
        result.ok &&= ok;
        const line = `check ${name} ${g}: ${s.n} value${s.n > 1 ? 's' : ''}, ` +
            per.map(([e, c]) => `${e} ${c.bad.length ? 'MISMATCH' : 'equal'}`)
                .join(', ');
        result.checks.push(line);
        console.log(line);
        for (const [e, c] of per)
            for (const b of c.bad.slice(0, 3)) console.log(`    ${e} ${b}`);
    }
}

// The table: closeloop's load (cold and warm), each builder's compute, and
// the SQL.
function readTiming(file) {
    const t = { write: 0 };
    for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^timing (\S+) ([0-9.]+)$/.exec(line);
        if (m) t[m[1]] = (m[1] === 'write' ? t.write : 0) + Number(m[2]);
    }
    return t;
}
if (args.timing) {
    const t = readTiming(args.timing);
    const c = args['timing-cold'] ? readTiming(args['timing-cold']) : t;
    const f = (x) => x.toFixed(3).padStart(8);
    const r = (x) => (x.toFixed(2) + 'x').padStart(8);
    const head = 'report   cold load warm load cl comp cold tot warm tot' +
        '   SQLite   DuckDB  SQLite/  DuckDB/  SQLite/  DuckDB/';
    const head2 = ' '.repeat(71) + 'warm tot warm tot cold tot cold tot';
    const lines = [head, head2, '-'.repeat(head.length)];
    const row = (name, comp, sqlite, duckdb) => {
        const cold = c.load + comp, warm = t.load + comp;
        lines.push(`${name.padEnd(9)}${f(c.load)}  ${f(t.load)}${f(comp)} ` +
            `${f(cold)} ${f(warm)} ${f(sqlite)} ${f(duckdb)} ` +
            `${r(sqlite / warm)} ${r(duckdb / warm)} ${r(sqlite / cold)} ` +
            `${r(duckdb / cold)}`);
    };
    let comp = 0, sq = 0, dk = 0;
    for (const name of REPORTS) {
        const { sqlite, duckdb } = result.reports[name];
        comp += t[name], sq += sqlite, dk += duckdb;
        row(name, t[name], sqlite, duckdb);
    }
    row('pack', comp + t.write, sq, dk);
    lines.push('');
    lines.push('Seconds.  cold load: closeloop reads the workspace from ' +
        'SQLite into its snapshot and writes the snapshot cache ' +
        `(${(c['cache-write'] ?? 0).toFixed(3)} s of it); warm load: the ` +
        'snapshot read back from that cache (unchanged workspace).  ' +
        'cl comp: the builder (warm run); a report run alone costs ' +
        'load + comp.  The pack\'s comp includes writing the JSON files ' +
        `(${t.write.toFixed(3)} s).  SQLite and ` +
        'DuckDB: the queries only (DuckDB\'s tables were loaded from CSV ' +
        'beforehand, untimed).  A ratio above 1 means closeloop is faster.');
    if (args['wall-cold'])
        lines.push(`closeloop report --pack wall time: cold ${Number(
            args['wall-cold']).toFixed(3)} s, warm ${Number(args.wall)
            .toFixed(3)} s (process start to exit).`);
    else
        lines.push(`closeloop report --pack wall time: ${Number(args.wall)
            .toFixed(3)} s (process start to exit).`);
    result.table = lines;
    result.closeloop = t;
    result.closeloop_cold = c;
    console.log(lines.join('\n'));
}
writeFileSync(args.out, JSON.stringify(result, null, 2));
if (!result.ok) process.exitCode = 1;
