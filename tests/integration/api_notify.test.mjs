// api_notify.test.mjs - how a person gets their notifications over the API
// (issues 15 and 16): GET/PUT /api/v1/me/notifications for oneself,
// /api/v1/people/{id}/notifications for the administrator, the chat
// webhook write-only, every field's range in the 400, and the team
// channels' settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { as, demoWorkspace, sql, startServer } from './api_lib.mjs';

let ws, srv;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
});

after(() => srv?.stop());

const SECRET = 'https://hooks.slack.com/services/T00/B00/s3cr3t-t0ken';

describe('GET/PUT /api/v1/me/notifications', () => {
    test('e-mail by default; chat with a webhook that is never read back',
        async () => {
            const ae = await as(srv, ws, 'ae');
            let r = await ae.get('/api/v1/me/notifications');
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.mode, 'email');
            assert.equal(r.json.chat_url_set, false);
            assert.equal(r.json.digest_hour, 8);

            r = await ae.put('/api/v1/me/notifications',
                { mode: 'chat', chat_url: SECRET, chat_format: 'teams' });
            assert.equal(r.status, 200, r.text);
            assert.deepEqual([r.json.mode, r.json.chat_url_set,
                r.json.chat_format], ['chat', true, 'teams']);
            assert.doesNotMatch(r.text, /s3cr3t/);
            r = await ae.get('/api/v1/me/notifications');
            assert.equal(r.json.mode, 'chat');
            assert.doesNotMatch(r.text, /s3cr3t/);

            // Changing the mode keeps the webhook; "" removes it.
            r = await ae.put('/api/v1/me/notifications', { mode: 'digest' });
            assert.equal(r.json.chat_url_set, true);
            r = await ae.put('/api/v1/me/notifications',
                { mode: 'email', chat_url: '' });
            assert.deepEqual([r.json.mode, r.json.chat_url_set,
                r.json.chat_format], ['email', false, null]);
            // The audit says what changed, never the URL.
            const audit = sql(ws.db, "SELECT old, \"new\" FROM audit WHERE " +
                "entity = 'notify_prefs' ORDER BY id");
            assert.match(audit, /"mode":"chat","chat_set":true/);
            assert.doesNotMatch(audit, /s3cr3t/);
        });

    test('each bad field is a 400 naming it, with its range', async () => {
        const csm = await as(srv, ws, 'csm');
        const cases = [
            [{ mode: 'weekly' }, 'mode', /^mode: expected email, chat or digest$/],
            [{}, 'mode', /mode/],
            [{ mode: 'chat' }, 'chat_url',
                /^chat_url: chat needs a Slack or Teams incoming webhook URL$/],
            [{ mode: 'chat', chat_url: 'ftp://x.example/hook' }, 'chat_url',
                /^chat_url: expected an http:\/\/ or https:\/\/ URL$/],
            [{ mode: 'chat', chat_url: 'https://x.example/' + 'a'.repeat(990) },
                'chat_url', /^chat_url: expected at most 1000 characters$/],
            [{ mode: 'chat', chat_url: 'https://x.example/a b' }, 'chat_url',
                /printable ASCII without spaces/],
            [{ mode: 'chat', chat_url: SECRET, chat_format: 'discord' },
                'chat_format', /^chat_format: expected slack or teams$/],
            [{ mode: 'email', extra: 1 }, 'extra', /extra/],
        ];
        for (const [body, field, message] of cases) {
            const r = await csm.put('/api/v1/me/notifications', body);
            assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
            assert.equal(r.json.error.field, field);
            assert.match(r.json.error.message, message);
        }
        const r = await csm.get('/api/v1/me/notifications');
        assert.equal(r.json.mode, 'email', 'nothing of a refusal was kept');
    });
});

describe('/api/v1/people/{id}/notifications', () => {
    test('the administrator sets a person to the daily digest; others may ' +
        'not', async () => {
        const admin = await as(srv, ws, 'admin');
        const target = ws.users.find((u) => u.role === 'cs_manager');
        const p = `/api/v1/people/${encodeURIComponent(target.id)}/notifications`;
        let r = await admin.put(p, { mode: 'digest' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.mode, 'digest');
        r = await admin.get(p);
        assert.equal(r.json.mode, 'digest');
        const them = await as(srv, ws, 'cs_manager');
        r = await them.get('/api/v1/me/notifications');
        assert.equal(r.json.mode, 'digest');

        for (const role of ['csm', 'ae', 'vp_sales']) {
            const c = await as(srv, ws, role);
            r = await c.put(p, { mode: 'email' });
            assert.equal(r.status, 403, `${role}: ${r.text}`);
            r = await c.get(p);
            assert.equal(r.status, 403);
        }
        r = await admin.get('/api/v1/people/nobody-here/notifications');
        assert.equal(r.status, 404);
    });
});

describe('the team channels in /api/v1/settings/config', () => {
    test('URLs are write-only, kinds only the team-safe ones, the digest ' +
        'hour 0 to 23', async () => {
        const revops = await as(srv, ws, 'revops');
        const etag = async () => (await revops.get('/api/v1/settings/config'))
            .headers.get('etag');
        let r = await revops.patch('/api/v1/settings/config', {
            chat_channel_1_url: SECRET, chat_channel_1_format: 'slack',
            chat_channel_1_kinds: 'what_changed,cause_route',
            digest_hour: '17',
        }, { headers: { 'if-match': await etag() } });
        assert.equal(r.status, 200, r.text);
        r = await revops.get('/api/v1/settings/config');
        assert.deepEqual(r.json.chat_channel_1_url, { set: true });
        assert.equal(r.json.chat_channel_1_kinds, 'what_changed,cause_route');
        assert.doesNotMatch(r.text, /s3cr3t/);
        const audit = sql(ws.db, "SELECT \"new\" FROM audit WHERE " +
            "entity = 'config' AND entity_id = 'chat_channel_1_url'");
        assert.match(audit, /\(secret\)/, 'the change is audited');
        assert.doesNotMatch(audit, /s3cr3t/, 'without the URL');
        const me = await revops.get('/api/v1/me/notifications');
        assert.equal(me.json.digest_hour, 17);

        for (const [k, v, msg] of [
            ['chat_channel_2_kinds', 'churn_flag',
                /^chat_channel_2_kinds: expected team-safe kinds/],
            ['chat_channel_2_kinds', 'coaching_item',
                /^chat_channel_2_kinds: expected team-safe kinds/],
            ['chat_channel_2_format', 'discord',
                /^chat_channel_2_format: expected slack or teams$/],
            ['chat_channel_3_url', 'ftp://example.com/hook/0123456789',
                /^chat_channel_3_url: expected an http/],
            ['digest_hour', '24',
                /^digest_hour: expected a whole number from 0 to 23/],
        ]) {
            r = await revops.patch('/api/v1/settings/config', { [k]: v },
                { headers: { 'if-match': await etag() } });
            assert.equal(r.status, 400, `${k}: ${r.text}`);
            assert.equal(r.json.error.field, k);
            assert.match(r.json.error.message, msg);
        }
        const keys = await revops.get('/api/v1/settings/config/keys');
        const url = keys.json.items.find((k) => k.key === 'chat_channel_1_url');
        assert.equal(url.secret, true);
        assert.equal(url.max, 1000);
    });
});
