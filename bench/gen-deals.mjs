// gen-deals.mjs - writes valid canonical CSV rows for the import benchmarks.
//
// usage: node bench/gen-deals.mjs DIR NDEALS NACCOUNTS
//   users.csv, accounts.csv and deals.csv of bench/import.sh: every row's
//   columns follow from its number (no randomness).
// usage: node bench/gen-deals.mjs DIR NDEALS NACCOUNTS --churns N [--seed S]
//   a workspace for bench/million.sh: the same three files with attributes
//   drawn from a seeded generator (industries, regions, sizes, sources,
//   champions, fit scores, open pipeline), and churns.csv of N tagged churns
//   of customers, each on its account's won new deal.  The same arguments
//   give the same bytes.  NDEALS must be at least NACCOUNTS: deal i below
//   NACCOUNTS is account i's new deal, the rest are expansions.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

const argv = process.argv.slice(2);
const flag = (name, dflt) => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    const v = argv[i + 1];
    argv.splice(i, 2);
    return v;
};
const nchurns = flag('--churns', null);
const seed = Number(flag('--seed', '1'));
const [dir, ndeals = '1000000', naccounts = '330000'] = argv;
const ND = Number(ndeals);
const NA = Number(naccounts);

async function write(file, header, n, line) {
    const out = createWriteStream(path.join(dir, file));
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
const base = Date.UTC(2019, 0, 1);
// Day n after 2019-01-01.
const day = (n) => new Date(base + n * 86400000).toISOString().slice(0, 10);
const LEVELS = ['ic', 'manager', 'director', 'vp', 'c_level'];
const SOURCES = ['inbound', 'outbound', 'partner', 'event'];
const REASONS = ['budget', 'timing', 'competitor', 'champion', 'product_fit'];
const USERS_HEADER = 'id,name,email,role,manager_id,team';
const ACCOUNTS_HEADER = 'id,name,industry,employees,region,' +
    'has_ops_function,csm_id,customer_since,status';
const DEALS_HEADER = 'id,account_id,ae_id,type,source,stage,created_on,' +
    'first_demo_on,closed_on,arr,loss_reason,icp_fit_score,champion_level,' +
    'champion_tenure_months,exec_sponsor,use_case,kickoff_on';

await write('users.csv', USERS_HEADER, 11, (i) => {
    const id = `U${pad(i + 1, 3)}`;
    const role = ['vp_sales', 'sales_manager', 'ae', 'ae', 'vp_cs',
        'cs_manager', 'csm', 'revops', 'marketing', 'ae', 'ae'][i];
    const mgr = { sales_manager: 'U001', ae: 'U002', cs_manager: 'U005',
        csm: 'U006' }[role] ?? '';
    return `${id},User ${i + 1},user${i + 1}@example.com,${role},${mgr},Team`;
});
if (nchurns === null)
    await fixedShape();
else
    await workspaceShape(Number(nchurns));

// bench/import.sh's file: deal i's dates are offsets from i % 2000, so the
// created <= first demo <= closed <= kickoff order always holds.
async function fixedShape() {
    const AES = ['U003', 'U004', 'U010', 'U011'];
    await write('accounts.csv', ACCOUNTS_HEADER, NA,
        (i) => `A${pad(i, 7)},Account ${i},Software,${5 + (i * 37) % 2000},` +
            `EMEA,${i % 3 ? 'true' : 'false'},U007,${day(i % 2000)},customer`);
    await write('deals.csv', DEALS_HEADER, ND, (i) => {
        const won = i % 4 !== 0;
        const d = i % 2000;
        return `D${pad(i, 8)},A${pad(i % NA, 7)},${AES[i % 4]},` +
            `${i < NA ? 'new' : 'expansion'},${SOURCES[i % 4]},` +
            `${won ? 'closed_won' : 'closed_lost'},${day(d)},${day(d + 12)},` +
            `${day(d + 45)},${6000 + (i % 389) * 125.5},` +
            `${won ? '' : REASONS[i % 5]},${i % 101},${LEVELS[i % 5]},` +
            `${i % 72},${i % 2 ? 'true' : 'false'},workflow automation,` +
            `${won ? day(d + 60) : ''}`;
    });
}

// mulberry32: a small seeded generator, so the files depend on the seed
// alone (Math.random cannot be seeded).
function rng(s) {
    let a = s >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

// The data ends on 2026-10-31 (bench/million.sh runs with --now
// 2026-11-01): deals are created up to 2026-07, closed within 120 days.
async function workspaceShape(NC) {
    if (ND < NA || NC > NA) {
        console.error('gen-deals.mjs: need NDEALS >= NACCOUNTS >= --churns');
        process.exit(2);
    }
    const END = 2860; // 2026-10-31
    const INDUSTRIES = ['software', 'fintech', 'healthcare', 'retail',
        'manufacturing', 'logistics', 'education', 'media'];
    const REGIONS = ['NA', 'NA', 'EMEA', 'EMEA', 'APAC', 'LATAM'];
    const AES = ['U003', 'U004', 'U010', 'U011'];
    const OPEN = ['discovery', 'demo', 'proposal', 'negotiation'];
    const USES = ['workflow automation', 'reporting', 'customer portal',
        'data sync'];
    const CAUSES = ['icp_miss', 'misaligned_use_case', 'feature_overpromise',
        'timeline_overpromise', 'phantom_champion', 'failed_adoption',
        'product_deficiency', 'poor_service', 'goals_not_met',
        'competitive_loss', 'pricing', 'business_change',
        'financial_distress'];
    const STATED = ['Too expensive for what we use', 'We moved to a ' +
        'competitor', 'The team never adopted it', 'Our needs changed',
        'It did not do what we were told'];
    const r = rng(seed);
    const int = (n) => Math.floor(r() * n);

    // Account i's new deal (deal i): its stage and days.  Kept in typed
    // arrays so the churns can be drawn among the won ones.
    const stage = new Uint8Array(NA); // 0 won, 1 lost, 2 open
    const closed = new Int16Array(NA);
    const created = new Int16Array(NA);
    for (let i = 0; i < NA; i++) {
        const u = r();
        stage[i] = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
        created[i] = stage[i] === 2 ? END - 1 - int(200) : int(2700);
        closed[i] = stage[i] === 2 ? -1 : created[i] + 20 + int(100);
    }
    // The churned accounts: NC won customers, each churning 30 or more days
    // after its close and by the data's end.
    const churnDay = new Int16Array(NA).fill(-1);
    const churned = [];
    for (let n = 0, guard = 0; n < NC && guard < 50 * NA; guard++) {
        const i = int(NA);
        if (stage[i] !== 0 || churnDay[i] >= 0 || closed[i] + 30 >= END)
            continue;
        churnDay[i] = closed[i] + 30 + int(END - closed[i] - 30);
        churned.push(i);
        n++;
    }
    churned.sort((a, b) => a - b);

    await write('accounts.csv', ACCOUNTS_HEADER, NA, (i) => {
        const emp = [5 + int(15), 20 + int(30), 50 + int(150), 200 + int(800),
            1000 + int(9000)][int(5)];
        const status = churnDay[i] >= 0 ? 'churned'
            : stage[i] === 0 ? 'customer' : 'prospect';
        return `A${pad(i, 7)},Account ${i},${INDUSTRIES[int(8)]},${emp},` +
            `${REGIONS[int(6)]},${r() < 0.6 ? 'true' : 'false'},U007,` +
            `${stage[i] === 0 ? day(closed[i]) : ''},${status}`;
    });
    const deal = (id, acct, type, st, c0, c1) => {
        const won = st === 0, lost = st === 1, open = st === 2;
        const demo = c0 + int(open ? 10 : Math.max(1, c1 - c0));
        return `${id},A${pad(acct, 7)},${AES[int(4)]},${type},` +
            `${SOURCES[int(4)]},` +
            `${won ? 'closed_won' : lost ? 'closed_lost' : OPEN[int(4)]},` +
            `${day(c0)},${r() < 0.9 ? day(demo) : ''},` +
            `${open ? '' : day(c1)},${(3000 + int(2000) * 60).toFixed(2)},` +
            `${lost ? REASONS[int(5)] : ''},${int(101)},${LEVELS[int(5)]},` +
            `${int(72)},${r() < 0.5 ? 'true' : 'false'},${USES[int(4)]},` +
            `${won && r() < 0.8 ? day(c1 + 7 + int(30)) : ''}`;
    };
    await write('deals.csv', DEALS_HEADER, ND, (i) => {
        if (i < NA)
            return deal(`D${pad(i, 8)}`, i, 'new', stage[i], created[i],
                closed[i]);
        // An expansion of a customer (one whose new deal was won), or a
        // prospect's second try when the draw lands on one.
        const acct = int(NA);
        const c0 = stage[acct] === 0 ? closed[acct] + int(120) : int(2700);
        const u = r();
        const st = c0 > END - 130 ? 2 : u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
        return deal(`D${pad(i, 8)}`, acct,
            stage[acct] === 0 ? 'expansion' : 'new', st,
            st === 2 ? Math.min(c0, END - 1) : c0, c0 + 10 + int(100));
    });
    await write('churns.csv', 'id,account_id,deal_id,churned_on,arr_lost,' +
        'stated_reason,diagnosis,predictive_behavior,primary_cause,' +
        'contributing_causes,tagged_by,tagged_on', churned.length, (n) => {
        const i = churned[n];
        const p = int(CAUSES.length);
        const c = (p + 1 + int(CAUSES.length - 1)) % CAUSES.length;
        const tagged = r() < 0.9;
        return `C${pad(n, 7)},A${pad(i, 7)},D${pad(i, 8)},` +
            `${day(churnDay[i])},${(3000 + int(2000) * 60).toFixed(2)},` +
            `${STATED[int(STATED.length)]},,,` +
            `${tagged ? CAUSES[p] : ''},${tagged && r() < 0.5 ? CAUSES[c] : ''},` +
            `${tagged ? 'U007' : ''},` +
            `${tagged ? day(Math.min(churnDay[i] + int(20), END)) : ''}`;
    });
}
