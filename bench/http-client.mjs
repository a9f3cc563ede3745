// http-client.mjs - N sequential keep-alive requests, for counting the
// server's instructions per request (bench/http-instr.sh).
//   node bench/http-client.mjs PORT TOKEN N page|hello ACCOUNTS
// Accounts are drawn from a fixed pseudo-random sequence, so two runs (two
// builds) ask for the same pages.
import http from 'node:http';

const [port, token, n, kind, accounts] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let seed = 12345;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

function get(path) {
    return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path, agent,
            headers: { Authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
        }).on('error', reject);
    });
}

for (let i = 0; i < Number(n); i++) {
    const id = 'a-' + String(1 + Math.floor(next() * Number(accounts))).padStart(6, '0');
    const status = await get(kind === 'hello' ? '/api/v1/hello'
        : `/api/v1/accounts/${id}/page`);
    if (status !== 200) {
        console.error(`http-client: ${status} for ${id}`);
        process.exit(1);
    }
}
agent.destroy();
