// Delivery of the outbox: e-mail to a real SMTP sink and a local webhook,
// retries with backoff, the dead letter, and a process killed mid-delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, company, deliver, outbox, smtpSink,
    webhookReceiver, wonDeal } from './engine_lib.mjs';

// A churn on a deal Ann (U3, manager Sam U2) closed, ready to be tagged.
function churned(t) {
    return company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-03-02', 30000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01')],
    });
}

const tag = (db, cause = 'feature_overpromise') => cli(db, ['churn', 'tag',
    'C1', '--primary', cause, '--stated', 'It never did what we were told',
    '--diagnosis', 'SSO was sold as ready', '--predictive',
    'The AE promised a roadmap date on the last call',
    '--by', 'U6', '--now', '2026-06-03T10:00']);

test('a deal-attributable tag e-mails the AE and the manager, once each',
    async (t) => {
        const { db } = churned(t);
        const smtp = await smtpSink(t);
        cli(db, ['config', 'set', 'smtp_url', smtp.url]);
        cli(db, ['config', 'set', 'smtp_from', 'loop@example.com']);
        tag(db);
        const flags = outbox(db).filter((m) => m.kind === 'churn_flag');
        assert.deepEqual(flags.map((m) => `${m.channel}:${m.recipient_id}`)
            .sort(), ['email:U2', 'email:U3', 'inbox:U2', 'inbox:U3']);
        assert.ok(flags.filter((m) => m.channel === 'inbox')
            .every((m) => m.status === 'sent'));

        let r = await deliver(db, '2026-06-03T10:05');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /deliver: 2 sent, 0 retried, 0 dead/);
        r = await deliver(db, '2026-06-03T11:00');
        assert.match(r.stdout, /deliver: 0 sent/);

        const mails = smtp.messages();
        assert.deepEqual(mails.map((m) => m.to).sort(),
            ['<ann@example.com>', '<sam@example.com>']);
        assert.equal(new Set(mails.map((m) => m.messageId)).size, 2);
        for (const m of mails)
            assert.match(m.subject, /Account A1 churned/);
        assert.ok(outbox(db, '--channel', 'email')
            .every((m) => m.status === 'sent' && m.attempts === 1));
    });

test('deliver_batch caps the messages a round sends; the rest go next round',
    async (t) => {
        const { db } = churned(t);
        const smtp = await smtpSink(t);
        cli(db, ['config', 'set', 'smtp_url', smtp.url]);
        cli(db, ['config', 'set', 'deliver_batch', '1']);
        tag(db);
        let r = await deliver(db, '2026-06-03T10:05');
        assert.match(r.stdout, /deliver: 1 sent, 0 retried, 0 dead/);
        assert.equal(smtp.messages().length, 1);
        r = await deliver(db, '2026-06-03T10:06');
        assert.match(r.stdout, /deliver: 1 sent/);
        r = await deliver(db, '2026-06-03T10:07');
        assert.match(r.stdout, /deliver: 0 sent/);
        assert.equal(new Set(smtp.messages().map((m) => m.messageId)).size, 2);
    });

test('a non-attributable tag notifies nobody', async (t) => {
    const { db } = churned(t);
    tag(db, 'business_change');
    assert.equal(outbox(db).filter((m) => m.kind === 'churn_flag').length, 0);
});

test('a receiver that fails twice gets the message once, after two retries',
    async (t) => {
        const { db } = churned(t);
        const hook = await webhookReceiver(t, { fail: 2 });
        cli(db, ['config', 'set', 'webhook_url', hook.url]);
        cli(db, ['config', 'set', 'retry_base_seconds', '60']);
        tag(db);
        const hooks = () => outbox(db, '--channel', 'webhook');
        assert.equal(hooks().length, 2);

        let r = await deliver(db, '2026-06-03T10:00');
        assert.match(r.stdout, /0 sent, 2 retried/);
        assert.ok(hooks().every((m) => m.attempts === 1 &&
            m.next_attempt_at === '2026-06-03T10:01:00Z'));
        // Not due before its next attempt.
        r = await deliver(db, '2026-06-03T10:00');
        assert.match(r.stdout, /0 sent, 0 retried/);
        r = await deliver(db, '2026-06-03T10:01');
        assert.match(r.stdout, /0 sent, 2 retried/);
        // The delay doubles: 60 s, then 120 s.
        assert.ok(hooks().every((m) => m.attempts === 2 &&
            m.next_attempt_at === '2026-06-03T10:03:00Z'));
        r = await deliver(db, '2026-06-03T10:02');
        assert.match(r.stdout, /0 sent, 0 retried/);
        r = await deliver(db, '2026-06-03T10:03');
        assert.match(r.stdout, /2 sent, 0 retried/);
        r = await deliver(db, '2026-06-04');
        assert.match(r.stdout, /0 sent/);

        for (const m of hooks()) {
            assert.equal(m.status, 'sent');
            assert.equal(m.attempts, 3);
            const mine = hook.requests.filter((q) => q.key ===
                m.idempotency_key);
            assert.deepEqual(mine.map((q) => q.ok), [false, false, true]);
            assert.equal(mine[2].body.kind, 'churn_flag');
            assert.equal(mine[2].body.recipient_id, m.recipient_id);
        }
    });

test('slack format sends a text body; a churn cannot close untagged',
    async (t) => {
        const { db } = churned(t);
        const hook = await webhookReceiver(t);
        cli(db, ['config', 'set', 'webhook_url', hook.url]);
        cli(db, ['config', 'set', 'webhook_format', 'slack']);
        const r0 = cli(db, ['churn', 'close', 'C1', '--by', 'U6'],
            { code: 1 });
        assert.equal(r0.lines.length, 1);
        tag(db);
        cli(db, ['churn', 'close', 'C1', '--by', 'U6']);
        const r = await deliver(db, '2026-06-03T10:00');
        assert.match(r.stdout, /2 sent/);
        assert.equal(hook.requests.length, 2);
        for (const q of hook.requests) {
            assert.match(q.body.text, /Account A1 churned/);
            assert.ok(q.key);
        }
    });

test('a process killed between send and mark delivers once after restart',
    async (t) => {
        const { db } = churned(t);
        const hook = await webhookReceiver(t);
        cli(db, ['config', 'set', 'webhook_url', hook.url]);
        tag(db); // committed, nothing sent yet: a crash here loses nothing
        let r = await deliver(db, '2026-06-03T10:00',
            { CLOSELOOP_KILL_AFTER_SEND: '1' });
        assert.equal(r.signal, 'SIGKILL');
        assert.equal(hook.requests.length, 1);
        assert.ok(outbox(db, '--channel', 'webhook')
            .every((m) => m.status === 'pending'));
        r = await deliver(db, '2026-06-03T10:00');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /2 sent/);
        // The resent message carries the same key: the receiver, deduping
        // by Idempotency-Key, has each message exactly once.
        const keys = hook.requests.map((q) => q.key);
        assert.equal(keys.length, 3);
        assert.equal(new Set(keys).size, 2);
        assert.deepEqual([...new Set(keys)].sort(),
            outbox(db, '--channel', 'webhook').map((m) => m.idempotency_key)
                .sort());
        r = await deliver(db, '2026-06-03T12:00');
        assert.match(r.stdout, /0 sent/);
    });

test('an unreachable host ends dead after max_attempts; nothing else is lost',
    async (t) => {
        const { db } = churned(t);
        const hook = await webhookReceiver(t);
        cli(db, ['config', 'set', 'smtp_url', 'smtp://127.0.0.1:1']);
        cli(db, ['config', 'set', 'webhook_url', hook.url]);
        cli(db, ['config', 'set', 'max_attempts', '3']);
        tag(db);
        const times = ['2026-06-03T10:00', '2026-06-03T10:01',
            '2026-06-03T10:03', '2026-06-03T10:10', '2026-06-04'];
        for (const now of times) {
            const r = await deliver(db, now);
            assert.equal(r.code, 0, r.stderr);
        }
        const mail = outbox(db, '--channel', 'email');
        assert.equal(mail.length, 2);
        for (const m of mail) {
            assert.equal(m.status, 'dead');
            assert.equal(m.attempts, 3);
            assert.match(m.last_error, /smtp/);
        }
        const hooks = outbox(db, '--channel', 'webhook');
        assert.ok(hooks.every((m) => m.status === 'sent'));
        assert.equal(hook.requests.length, 2);
        assert.equal(outbox(db, '--channel', 'inbox').length, 2);
    });

test('bad config values are refused in one line and change nothing',
    (t) => {
        const { db } = churned(t);
        for (const [k, v] of [['max_attempts', 'zero'],
            ['deliver_batch', '0'], ['deliver_batch', '10001'],
            ['webhook_format', 'xml'], ['smtp_url', 'http://x'],
            ['no_such_key', '1']]) {
            const r = cli(db, ['config', 'set', k, v], { code: 1 });
            assert.equal(r.lines.length, 1, r.stderr);
        }
        assert.equal(cli(db, ['config', 'get']).stdout, '');
    });

// Issue 14, coaching privacy: a coaching item's content never goes to a
// shared channel.  The webhook is the team's channel (Slack, Teams), so it
// hears at most that a private item was opened for a manager: no AE name
// or id, no account, no note.  The manager's own e-mail keeps the content.
for (const format of ['json', 'slack'])
    test(`coaching privacy: the shared webhook (${format}) gets no AE, ` +
        'account or content; the manager\'s e-mail does', async (t) => {
        const overpromised = (id, acct, deal, on, cause) => {
            const r = churn(id, acct, deal, on);
            r[5] = 'The promised SSO never shipped';
            r[8] = cause;
            r[10] = 'U6';
            r[11] = on;
            return r;
        };
        const { db } = company(t, {
            accounts: [account('A1'), account('A2')],
            deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
                wonDeal('D2', 'A2', 'U3', '2025-02-01', 20000)],
            churns: [overpromised('C1', 'A1', 'D1', '2026-07-10',
                'feature_overpromise'),
            overpromised('C2', 'A2', 'D2', '2026-08-10',
                'timeline_overpromise')],
        });
        const hook = await webhookReceiver(t);
        const smtp = await smtpSink(t);
        cli(db, ['config', 'set', 'webhook_url', hook.url]);
        cli(db, ['config', 'set', 'webhook_format', format]);
        cli(db, ['config', 'set', 'smtp_url', smtp.url]);
        cli(db, ['config', 'set', 'smtp_from', 'loop@example.com']);
        cli(db, ['tick', '--now', '2026-10-01T08:00']);
        const r = await deliver(db, '2026-10-01T08:05');
        assert.equal(r.code, 0, r.stderr);

        const shared = hook.requests.filter((q) =>
            JSON.stringify(q.body).match(/coaching/i));
        assert.equal(shared.length, 1, JSON.stringify(hook.requests));
        const text = JSON.stringify(shared[0].body) + shared[0].key;
        assert.match(text, /private coaching item was opened for a manager/);
        for (const secret of ['U3', 'Ann', 'ann@', 'A1', 'A2', 'Account',
            'D1', 'C1', 'SSO', 'over-promise', 'churn'])
            assert.ok(!text.includes(secret), `${secret} in ${text}`);
        // The outbox row of the shared channel holds no content either.
        const row = outbox(db, '--channel', 'webhook')
            .find((m) => m.kind === 'coaching_item');
        assert.ok(!JSON.stringify(row).includes('U3'), JSON.stringify(row));

        const mail = smtp.messages().filter((m) => m.to === '<sam@example.com>'
            && /coaching/i.test(m.subject));
        assert.equal(mail.length, 1);
        assert.match(mail[0].subject, /U3/);
        assert.match(mail[0].text, /2 churns of U3 tagged as over-promise/);
    });
