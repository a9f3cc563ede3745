// gen-deals.mjs - writes users.csv, accounts.csv and deals.csv of valid
// canonical rows for the import benchmark.
// usage: node bench/gen-deals.mjs DIR NDEALS NACCOUNTS
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

const [dir, ndeals = '1000000', naccounts = '330000'] = process.argv.slice(2);
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
// Day n after 2019-01-01.  Deal i's dates are offsets from i % 2000, so the
// created <= first demo <= closed <= kickoff order always holds.
const day = (n) => new Date(base + n * 86400000).toISOString().slice(0, 10);
const AES = ['U003', 'U004', 'U010', 'U011'];
const LEVELS = ['ic', 'manager', 'director', 'vp', 'c_level'];
const SOURCES = ['inbound', 'outbound', 'partner', 'event'];
const REASONS = ['budget', 'timing', 'competitor', 'champion', 'product_fit'];

await write('users.csv', 'id,name,email,role,manager_id,team', 11, (i) => {
    const id = `U${pad(i + 1, 3)}`;
    const role = ['vp_sales', 'sales_manager', 'ae', 'ae', 'vp_cs',
        'cs_manager', 'csm', 'revops', 'marketing', 'ae', 'ae'][i];
    const mgr = { sales_manager: 'U001', ae: 'U002', cs_manager: 'U005',
        csm: 'U006' }[role] ?? '';
    return `${id},User ${i + 1},user${i + 1}@example.com,${role},${mgr},Team`;
});
await write('accounts.csv', 'id,name,industry,employees,region,' +
    'has_ops_function,csm_id,customer_since,status', NA,
    (i) => `A${pad(i, 7)},Account ${i},Software,${5 + (i * 37) % 2000},EMEA,` +
        `${i % 3 ? 'true' : 'false'},U007,${day(i % 2000)},customer`);
await write('deals.csv', 'id,account_id,ae_id,type,source,stage,created_on,' +
    'first_demo_on,closed_on,arr,loss_reason,icp_fit_score,champion_level,' +
    'champion_tenure_months,exec_sponsor,use_case,kickoff_on', ND, (i) => {
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
