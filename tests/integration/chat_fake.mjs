// A fake Slack and a fake Microsoft Teams incoming webhook (issue 15): each
// listens on 127.0.0.1, checks every post the way the real service does
// (JSON, the fields it requires) and keeps what it was sent, by path, so
// one receiver stands for several webhooks (a person's, a channel's).
import http from 'node:http';

// Slack: {"text": string, "blocks"?: [{type: "section", text: {type:
// "mrkdwn", text}}]}; a post without text is refused with 400 like
// Slack's "no_text".  Teams: a MessageCard with @type, @context, summary
// or text.  `gone` lists paths that answer 404 (a removed webhook).
function receiver(t, kind, { gone = [], fail = 0 } = {}) {
    const posts = [];
    const tries = new Map();
    const server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (d) => { raw += d; });
        req.on('end', () => {
            const answer = (code, text) => {
                res.writeHead(code, { 'content-type': 'text/plain' });
                res.end(text);
            };
            if (gone.includes(req.url)) return answer(404, 'no_service');
            const key = req.headers['idempotency-key'];
            const n = (tries.get(key) ?? 0) + 1;
            tries.set(key, n);
            if (n <= fail) return answer(500, 'try later');
            let body;
            try {
                body = JSON.parse(raw);
            } catch {
                return answer(400, 'invalid_payload');
            }
            if (req.headers['content-type'] !== 'application/json')
                return answer(400, 'invalid_payload');
            if (kind === 'slack') {
                if (typeof body.text !== 'string' || !body.text)
                    return answer(400, 'no_text');
                for (const b of body.blocks ?? [])
                    if (b.type !== 'section' || b.text?.type !== 'mrkdwn' ||
                        b.text.text.length > 3000)
                        return answer(400, 'invalid_blocks');
            } else {
                if (body['@type'] !== 'MessageCard' ||
                    body['@context'] !== 'https://schema.org/extensions' ||
                    !(body.summary || body.text))
                    return answer(400, 'Summary or Text is required.');
            }
            posts.push({ path: req.url, key, body });
            answer(200, kind === 'slack' ? 'ok' : '1');
        });
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            t.after(() => server.close());
            const base = `http://127.0.0.1:${server.address().port}`;
            resolve({
                url: (p) => `${base}${p}`,
                posts,
                // The text a person reads of each post to path p.
                texts: (p) => posts.filter((x) => x.path === p).map((x) =>
                    kind === 'slack' ? x.body.text
                        : `${x.body.title}\n${x.body.text}`),
            });
        });
    });
}

export const fakeSlack = (t, opts) => receiver(t, 'slack', opts);
export const fakeTeams = (t, opts) => receiver(t, 'teams', opts);
