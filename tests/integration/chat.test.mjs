// Chat delivery and the daily digest (issue 15's chat, issue 16's digest):
// a person's direct messages through their own Slack or Teams webhook, the
// team channels' posts of team-safe kinds only, and one e-mail a day for
// those who chose the digest.  Every run of `closeloop deliver` is its own
// process, so what is held between two runs survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, cliRun, company, deliver, outbox, smtpSink,
    wonDeal } from './engine_lib.mjs';
import { fakeSlack, fakeTeams } from './chat_fake.mjs';

// Three churns on deals Ann (U3, manager Sam U2) closed; Cid (U6) tags.
function churned(t) {
    return company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-03-02', 30000),
            wonDeal('D2', 'A2', 'U3', '2025-04-02', 20000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01'),
            churn('C2', 'A2', 'D2', '2026-06-02'),
            churn('C3', 'A1', 'D1', '2026-06-02')],
    });
}

const tag = (db, id, cause, now) => cli(db, ['churn', 'tag', id, '--primary',
    cause, '--stated', 'It never did what we <were> told & more',
    '--diagnosis', 'SSO was sold as ready', '--predictive',
    'A roadmap date on the last call', '--by', 'U6', '--now', now]);

const choose = (db, user, args, url) => cli(db, ['notify', user, ...args,
    ...(url ? ['--chat-url-stdin'] : [])], url ? { input: url + '\n' } : {});

test('an AE on Slack and a manager on Teams each get their flag as a direct ' +
    'message, once, and no e-mail', async (t) => {
    const { db } = churned(t);
    const slack = await fakeSlack(t);
    const teams = await fakeTeams(t);
    choose(db, 'U3', ['--mode', 'chat'], slack.url('/ann'));
    choose(db, 'U2', ['--mode', 'chat', '--chat-format', 'teams'],
        teams.url('/sam'));
    tag(db, 'C1', 'feature_overpromise', '2026-06-03T10:00');
    const flags = outbox(db).filter((m) => m.kind === 'churn_flag');
    assert.deepEqual(flags.map((m) => `${m.channel}:${m.recipient_id}`)
        .sort(), ['chat:U2', 'chat:U3', 'inbox:U2', 'inbox:U3']);

    let r = await deliver(db, '2026-06-03T10:05');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deliver: 2 sent, 0 retried, 0 dead/);
    r = await deliver(db, '2026-06-03T11:00');
    assert.match(r.stdout, /deliver: 0 sent/);

    const [ann] = slack.posts;
    assert.equal(slack.posts.length, 1);
    assert.equal(ann.path, '/ann');
    assert.match(ann.body.text, /Account A1 churned/);
    // Slack's markup characters arrive escaped, not as a mention or link.
    assert.match(ann.body.text, /&lt;were&gt; told &amp; more/);
    assert.equal(ann.body.blocks[0].type, 'section');
    assert.match(ann.body.blocks[0].text.text, /^\*.*Account A1.*\*\n/);
    assert.equal(teams.posts.length, 1);
    const sam = teams.posts[0];
    assert.equal(sam.body['@type'], 'MessageCard');
    assert.match(sam.body.title, /Account A1/);
    assert.match(sam.body.text, /SSO was sold as ready/);
    assert.notEqual(ann.key, sam.key);
});

test('a team channel hears only the team-safe kinds mapped to it, never an ' +
    "AE's flag", async (t) => {
    const { db } = churned(t);
    const slack = await fakeSlack(t);
    const teams = await fakeTeams(t);
    cli(db, ['config', 'set', 'chat_channel_1_url', slack.url('/cs-team')]);
    cli(db, ['config', 'set', 'chat_channel_1_kinds', 'cause_route']);
    cli(db, ['config', 'set', 'chat_channel_2_url', teams.url('/leads')]);
    cli(db, ['config', 'set', 'chat_channel_2_format', 'teams']);
    cli(db, ['config', 'set', 'chat_channel_2_kinds',
        'what_changed, checkin_reminder']);
    // A kind that names an AE or is private cannot be mapped to a channel.
    const bad = cliRun(db, ['config', 'set', 'chat_channel_1_kinds',
        'cause_route,churn_flag']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /chat_channel_1_kinds: expected team-safe kinds/);

    tag(db, 'C1', 'feature_overpromise', '2026-06-03T10:00');
    tag(db, 'C2', 'poor_service', '2026-06-03T10:00');
    const r = await deliver(db, '2026-06-03T10:05');
    assert.equal(r.code, 0, r.stderr);
    const posts = slack.texts('/cs-team');
    assert.equal(posts.length, 1, JSON.stringify(posts));
    assert.match(posts[0], /Account A2/);
    assert.match(posts[0], /Poor service/);
    // Its title only: the customer's words and the diagnosis are free
    // text that may name a person.
    assert.doesNotMatch(posts[0], /never did what|SSO was sold/);
    for (const text of slack.posts.map((p) => JSON.stringify(p.body)))
        assert.doesNotMatch(text, /Ann|U3|ann@/);
    assert.equal(teams.posts.length, 0);
    // One post per channel, whoever else was told.
    const again = await deliver(db, '2026-06-03T12:00');
    assert.match(again.stdout, /deliver: 0 sent/);
});

test('a webhook that was removed fails at once with the reason; a busy one ' +
    'is retried', async (t) => {
    const { db } = churned(t);
    const slack = await fakeSlack(t, { gone: ['/old'], fail: 1 });
    choose(db, 'U3', ['--mode', 'chat'], slack.url('/old'));
    choose(db, 'U2', ['--mode', 'chat'], slack.url('/sam'));
    tag(db, 'C1', 'feature_overpromise', '2026-06-03T10:00');
    let r = await deliver(db, '2026-06-03T10:05');
    assert.match(r.stdout, /0 sent, 1 retried, 1 dead/);
    const dead = outbox(db, '--channel', 'chat')
        .find((m) => m.recipient_id === 'U3');
    assert.equal(dead.status, 'dead');
    assert.match(dead.last_error, /HTTP 404.*check its URL/);
    r = await deliver(db, '2026-06-03T10:07');
    assert.match(r.stdout, /1 sent, 0 retried, 0 dead/);
    assert.deepEqual(slack.texts('/sam').length, 1);
});

test('a delivery killed between a post and its mark posts it again with the ' +
    'same key; nothing is lost', async (t) => {
    const { db } = churned(t);
    const slack = await fakeSlack(t);
    choose(db, 'U3', ['--mode', 'chat'], slack.url('/ann'));
    tag(db, 'C1', 'feature_overpromise', '2026-06-03T10:00');
    let r = await deliver(db, '2026-06-03T10:05',
        { CLOSELOOP_KILL_AFTER_SEND: '1' });
    assert.equal(r.signal, 'SIGKILL');
    assert.equal(slack.posts.length, 1);
    const row = () => outbox(db, '--channel', 'chat')
        .find((m) => m.recipient_id === 'U3');
    assert.equal(row().status, 'pending');
    r = await deliver(db, '2026-06-03T10:06');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(row().status, 'sent');
    assert.equal(slack.posts.length, 2);
    assert.equal(slack.posts[0].key, slack.posts[1].key);
    assert.equal(slack.posts[0].key, row().idempotency_key);
    r = await deliver(db, '2026-06-03T11:00');
    assert.match(r.stdout, /0 sent/);
});

test('the daily digest: held until its hour, one e-mail with everything ' +
    'since the last, sent once; later items wait for the next day',
async (t) => {
    const { db } = churned(t);
    const smtp = await smtpSink(t);
    cli(db, ['config', 'set', 'smtp_url', smtp.url]);
    cli(db, ['config', 'set', 'digest_hour', '17']);
    choose(db, 'U3', ['--mode', 'digest']);
    tag(db, 'C1', 'feature_overpromise', '2026-06-03T09:00');
    tag(db, 'C2', 'timeline_overpromise', '2026-06-03T09:30');
    assert.equal(outbox(db, '--channel', 'digest').length, 2);

    // Sam (e-mail) hears at once; Ann's two flags wait for 17:00.
    let r = await deliver(db, '2026-06-03T10:00');
    assert.match(r.stdout, /deliver: 2 sent/);
    assert.doesNotMatch(r.stdout, /digest/);
    assert.deepEqual(smtp.messages().map((m) => m.to),
        ['<sam@example.com>', '<sam@example.com>']);

    r = await deliver(db, '2026-06-03T17:00');
    assert.match(r.stdout, /deliver: 1 sent, .*1 digest queued/);
    r = await deliver(db, '2026-06-03T18:00');
    assert.match(r.stdout, /deliver: 0 sent/);
    const digests = smtp.messages().filter((m) => m.to === '<ann@example.com>');
    assert.equal(digests.length, 1);
    assert.equal(digests[0].subject,
        'Your closeloop digest for 3 Jun 2026: 2 notifications');
    assert.match(digests[0].text, /1\. .*Account A1/);
    assert.match(digests[0].text, /2\. .*Account A2/);
    assert.ok(outbox(db, '--channel', 'digest')
        .every((m) => m.status === 'sent'));

    // A flag after today's digest goes in tomorrow's.
    tag(db, 'C3', 'icp_miss', '2026-06-03T19:00');
    r = await deliver(db, '2026-06-03T20:00');
    assert.doesNotMatch(r.stdout, /digest/);
    r = await deliver(db, '2026-06-04T16:59');
    assert.doesNotMatch(r.stdout, /digest/);
    r = await deliver(db, '2026-06-04T17:30');
    assert.match(r.stdout, /1 digest queued/);
    const next = smtp.messages().filter((m) => m.to === '<ann@example.com>');
    assert.equal(next.length, 2);
    assert.match(next[1].subject, /4 Jun 2026: 1 notification$/);
    assert.match(next[1].text, /Account A1/);
    assert.doesNotMatch(next[1].text, /Account A2/);
});

test('notify refuses what it cannot use and never prints the webhook',
    (t) => {
        const { db } = churned(t);
        let r = cliRun(db, ['notify', 'U3', '--mode', 'chat']);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /chat needs a Slack or Teams incoming webhook/);
        r = cliRun(db, ['notify', 'U3', '--mode', 'weekly']);
        assert.match(r.stderr, /--mode: expected email, chat or digest/);
        r = cliRun(db, ['notify', 'U3', '--mode', 'chat', '--chat-url-stdin'],
        );
        assert.notEqual(r.code, 0);
        const secret = 'https://hooks.slack.com/services/T0/B0/s3cr3t';
        r = choose(db, 'U3', ['--mode', 'chat', '--chat-format', 'slack'],
            secret);
        assert.equal(r.stdout, 'U3: chat (chat webhook set: slack)\n');
        r = cli(db, ['notify', 'U3']);
        assert.doesNotMatch(r.stdout, /s3cr3t/);
        r = cli(db, ['history', '--format', 'json']);
        assert.doesNotMatch(r.stdout, /s3cr3t/);
        r = cli(db, ['notify', 'U3', '--mode', 'email', '--no-chat']);
        assert.equal(r.stdout, 'U3: email\n');
        r = cliRun(db, ['notify', 'U99']);
        assert.match(r.stderr, /no user 'U99'/);
    });

test('the digest hour is the workspace\'s: 08:00 in New York is 12:00 UTC ' +
    'in summer, and the digest is of New York\'s day', async (t) => {
    const { db } = churned(t);
    const smtp = await smtpSink(t);
    cli(db, ['config', 'set', 'smtp_url', smtp.url]);
    cli(db, ['config', 'set', 'timezone', 'America/New_York']);
    choose(db, 'U3', ['--mode', 'digest']);
    tag(db, 'C1', 'feature_overpromise', '2026-06-03T09:00');
    let r = await deliver(db, '2026-06-03T11:59');
    assert.doesNotMatch(r.stdout, /digest/);
    r = await deliver(db, '2026-06-03T12:00');
    assert.match(r.stdout, /1 digest queued/);
    const [digest] = smtp.messages().filter((m) => m.to === '<ann@example.com>');
    assert.equal(digest.subject,
        'Your closeloop digest for 3 Jun 2026: 1 notification');
});
