// webhooks.test.mjs - inbound events (issue 15, docs/integrations.md): the
// generic signed webhook, HubSpot's v3 webhooks and Salesforce's Outbound
// Messages, sent by the small fakes of crm_fake.mjs to a real server.
// Each event is stored in the inbox and applied once through the engine;
// a refused one is kept as failed for RevOps to retry or discard.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { Client, sql, startServer } from './api_lib.mjs';
import { NOW_S, hubspotEvent, sendGeneric, sendHubspot, sendSalesforce,
    soapEnvelope } from './crm_fake.mjs';
import { account, cli, company, outbox, tasks, DEAL_HEAD } from
    './engine_lib.mjs';
import { PG, ok, pgDatabase, tempDir } from './lib.mjs';

const SECRET = 'generic-secret-0123456789';
const HS_SECRET = 'hubspot-app-secret-0123456789';
const ORG = '00D000000000001AAA';

// An open deal row of DEAL_HEAD.
function openDeal(id, acct, ae = 'U3') {
    const row = Object.fromEntries(DEAL_HEAD.map((h) => [h, '']));
    Object.assign(row, { id, account_id: acct, ae_id: ae, type: 'new',
        source: 'outbound', stage: 'proposal', created_on: '2026-10-01',
        arr: 24000 });
    return DEAL_HEAD.map((h) => row[h]);
}

// A workspace with the people, account A1 and open deal 501 (a HubSpot
// record id) and 006000000000001AAA (a Salesforce one), the webhooks'
// settings, and its server.
async function setup(t) {
    const c = company(t, {
        accounts: [account('A1')],
        deals: [openDeal('501', 'A1'), openDeal('006000000000001AAA', 'A1')],
    });
    cli(c.db, ['config', 'set', 'webhook_generic_secret', SECRET]);
    cli(c.db, ['config', 'set', 'hubspot_app_secret', HS_SECRET]);
    cli(c.db, ['config', 'set', 'salesforce_org_ids', ORG]);
    const srv = await startServer(t, c.db);
    const token = ok(['token', 'create', '--user', 'U7', '--db', c.db])
        .stdout.trim();
    const revops = new Client(srv, { token });
    return { ...c, srv, revops };
}

const wonDeal = (id, acct = 'A1') => ({
    id, account_id: acct, ae_id: 'U3', type: 'new', source: 'inbound',
    stage: 'closed_won', created_on: '2026-10-01', closed_on: '2026-11-17',
    arr: 30000,
});

const reviews = (db) => tasks(db, '--kind', 'won_deal_review')
    .map((x) => x.subject.deal_id).sort();

const inboxRows = (db) => Number(sql(db, 'SELECT count(*) FROM inbox'));

test('generic: a signed Closed Won opens its review task within the ' +
    'request, and a replay is applied once', async (t) => {
    const { db, srv } = await setup(t);
    const ev = { id: 'evt-1', kind: 'deal', record: wonDeal('G1') };
    const r = await sendGeneric(srv.base, SECRET, ev);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.new, r.json.applied, r.json.failed], [1, 1, 0]);
    assert.deepEqual(reviews(db), ['G1']);
    // The same event again (a sender's retry): 200, nothing new.
    const again = await sendGeneric(srv.base, SECRET, ev);
    assert.equal(again.status, 200);
    assert.deepEqual([again.json.new, again.json.applied], [0, 0]);
    assert.deepEqual(reviews(db), ['G1']);
    assert.equal(inboxRows(db), 1);
});

test('generic: bad signature, stale timestamp and malformed JSON are ' +
    'refused and nothing is stored', async (t) => {
    const { db, srv } = await setup(t);
    const ev = { id: 'evt-2', kind: 'deal', record: wonDeal('G2') };
    const bad = await sendGeneric(srv.base, SECRET, ev,
        { sig: 'sha256=' + '0'.repeat(64) });
    assert.equal(bad.status, 401);
    assert.match(bad.json.error.message, /X-Closeloop-Signature/);
    const wrong = await sendGeneric(srv.base, 'another-secret-0123456', ev);
    assert.equal(wrong.status, 401);
    const stale = await sendGeneric(srv.base, SECRET, ev, { ts: NOW_S - 400 });
    assert.equal(stale.status, 401);
    assert.match(stale.json.error.message, /5 minutes/);
    const junk = await sendGeneric(srv.base, SECRET, '{"id": "evt-3", ');
    assert.equal(junk.status, 400);
    assert.ok(!junk.json.error.message.includes('\n'));
    const kind = await sendGeneric(srv.base, SECRET,
        { id: 'evt-4', kind: 'user', record: { id: 'X' } });
    assert.equal(kind.status, 400);
    assert.match(kind.json.error.message, /^kind:/);
    assert.equal(inboxRows(db), 0);
    assert.deepEqual(reviews(db), []);
});

test('generic: a tagged deal-attributable churn notifies the AE at once',
    async (t) => {
        const { db, srv } = await setup(t);
        assert.equal((await sendGeneric(srv.base, SECRET,
            { id: 'd', kind: 'deal', record: wonDeal('G3') })).status, 200);
        const r = await sendGeneric(srv.base, SECRET, {
            id: 'c', kind: 'churn', record: {
                id: 'CH1', account_id: 'A1', deal_id: 'G3',
                churned_on: '2026-11-16', arr_lost: 30000,
                primary_cause: 'feature_overpromise', tagged_by: 'U6',
                stated_reason: 'the API it was sold with never came',
            },
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.applied, 1, r.text);
        const flags = outbox(db, '--channel', 'email')
            .filter((m) => m.kind === 'churn_flag')
            .map((m) => m.recipient_id).sort();
        assert.deepEqual(flags, ['U2', 'U3']);
    });

test('generic: a bad record is kept as failed with its error, listed, and ' +
    'applied on retry once its account exists', async (t) => {
    const { db, srv, revops } = await setup(t);
    const r = await sendGeneric(srv.base, SECRET,
        { id: 'evt-9', kind: 'deal', record: wonDeal('G9', 'A9') });
    assert.equal(r.status, 200);
    assert.equal(r.json.failed, 1);
    const list = await revops.req('GET', '/api/v1/events?status=failed');
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, 1);
    const ev = list.json.items[0];
    assert.equal(ev.source, 'generic');
    assert.equal(ev.event_id, 'evt-9');
    assert.match(ev.error, /account_id: no accounts 'A9'/);
    assert.match(ev.summary, /deal G9/);
    assert.deepEqual(reviews(db), []);
    // Not before the account is there: failed again, with one more attempt.
    let retry = await revops.req('POST', `/api/v1/events/${ev.id}/retry`);
    assert.equal(retry.status, 200);
    assert.equal(retry.json.status, 'failed');
    assert.equal(retry.json.attempts, 2);
    const acct = await revops.req('POST', '/api/v1/accounts', { body: {
        id: 'A9', name: 'Account A9', status: 'customer', csm_id: 'U6' } });
    assert.equal(acct.status, 201, acct.text);
    retry = await revops.req('POST', `/api/v1/events/${ev.id}/retry`);
    assert.equal(retry.json.status, 'applied');
    assert.deepEqual(reviews(db), ['G9']);
    // Applied is final: neither retried nor discarded again.
    const twice = await revops.req('POST', `/api/v1/events/${ev.id}/discard`);
    assert.equal(twice.status, 409);
    const audit = sql(db, "SELECT action FROM audit WHERE entity = 'inbox' " +
        'ORDER BY id');
    assert.deepEqual(audit.split('\n'), ['inbox_retry', 'inbox_retry']);
    // A CSM does not see the inbox.
    const csm = new Client(srv, { token: ok(['token', 'create', '--user',
        'U6', '--db', db]).stdout.trim() });
    assert.equal((await csm.req('GET', '/api/v1/events')).status, 403);
});

test('generic: a discarded event stays discarded', async (t) => {
    const { db, srv, revops } = await setup(t);
    await sendGeneric(srv.base, SECRET,
        { id: 'evt-10', kind: 'deal', record: wonDeal('G10', 'A10') });
    const [ev] = (await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items;
    const d = await revops.req('POST', `/api/v1/events/${ev.id}/discard`);
    assert.equal(d.status, 200);
    assert.equal(d.json.status, 'discarded');
    assert.equal((await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items.length, 0);
    assert.equal(sql(db, "SELECT action FROM audit WHERE entity = 'inbox'"),
        'inbox_discard');
});

test('hubspot: a signed dealstage change to closedwon closes the deal and ' +
    'opens its review; replays, bad signatures and stale timestamps',
async (t) => {
    const { db, srv, revops } = await setup(t);
    const move = { ...hubspotEvent('deal.associationChange', 0, null, null,
        6), fromObjectId: 501, toObjectId: 2, associationRemoved: false,
    associationType: 'DEAL_TO_COMPANY' };
    delete move.objectId;
    const events = [
        hubspotEvent('company.creation', 2, null, null, 5), move,
        hubspotEvent('deal.propertyChange', 501, 'amount', '48000.50', 1),
        hubspotEvent('deal.propertyChange', 501, 'dealstage', 'closedwon', 2),
        hubspotEvent('contact.propertyChange', 77, 'email', 'a@b.example', 3),
    ];
    const r = await sendHubspot(srv.base, HS_SECRET, events);
    assert.equal(r.status, 200, r.text);
    // The company is new to closeloop: its creation fails (it has no
    // name yet), and so does moving the deal to it.
    assert.deepEqual([r.json.received, r.json.new, r.json.applied,
        r.json.failed], [5, 5, 3, 2]);
    const failed = (await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items.map((e) => e.error);
    assert.match(failed[0], /^accounts '2' is new: name: /);
    assert.match(failed[1], /^account_id: no accounts '2'/);
    const deal = (await revops.req('GET', '/api/v1/deals/501')).json;
    assert.equal(deal.stage, 'closed_won');
    assert.equal(deal.arr, 48000.5);
    assert.equal(deal.closed_on, '2026-11-18');
    assert.deepEqual(reviews(db), ['501']);
    // HubSpot's retry of the same batch: stored once, applied once.
    const again = await sendHubspot(srv.base, HS_SECRET, events);
    assert.equal(again.status, 200);
    assert.deepEqual([again.json.new, again.json.applied], [0, 0]);
    assert.equal(inboxRows(db), 5);
    assert.deepEqual(reviews(db), ['501']);
    // Once the company is imported, the association applies on retry.
    assert.equal((await revops.req('POST', '/api/v1/accounts', { body: {
        id: '2', name: 'Two', status: 'customer' } })).status, 201);
    const moved = (await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items.find((e) => e.event_id === '6');
    const rt = await revops.req('POST', `/api/v1/events/${moved.id}/retry`);
    assert.equal(rt.json.status, 'applied', rt.text);
    assert.equal((await revops.req('GET', '/api/v1/deals/501')).json
        .account_id, '2');

    const other = [hubspotEvent('deal.propertyChange', 501, 'amount', '1', 4)];
    assert.equal((await sendHubspot(srv.base, 'not-the-secret-0123456',
        other)).status, 401);
    assert.equal((await sendHubspot(srv.base, HS_SECRET, other,
        { tsMs: (NOW_S - 301) * 1000 })).status, 401);
    assert.equal((await sendHubspot(srv.base, HS_SECRET, other,
        { sig: 'AAAA' })).status, 401);
    const junk = await sendHubspot(srv.base, HS_SECRET, '[{"eventId": 5,');
    assert.equal(junk.status, 400);
    const noId = await sendHubspot(srv.base, HS_SECRET,
        [{ subscriptionType: 'deal.creation', objectId: 9 }]);
    assert.equal(noId.status, 400);
    assert.match(noId.json.error.message, /^event 1: eventId/);
    assert.equal(inboxRows(db), 5);
    assert.equal((await revops.req('GET', '/api/v1/deals/501')).json.arr,
        48000.5);
});

test('hubspot: an event on a deal closeloop does not have fails, and ' +
    'applies once the deal is imported', async (t) => {
    const { db, srv, revops } = await setup(t);
    const r = await sendHubspot(srv.base, HS_SECRET,
        [hubspotEvent('deal.propertyChange', 777, 'dealstage', 'closedlost')]);
    assert.equal(r.json.failed, 1);
    const [ev] = (await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items;
    assert.match(ev.error, /^deals '777' is new: account_id: required/);
    assert.match(ev.summary, /deal.propertyChange 777 dealstage=closedlost/);
    const deal = await revops.req('POST', '/api/v1/deals', { body: {
        id: '777', account_id: 'A1', type: 'new', stage: 'proposal',
        created_on: '2026-09-01' } });
    assert.equal(deal.status, 201, deal.text);
    const retry = await revops.req('POST', `/api/v1/events/${ev.id}/retry`);
    assert.equal(retry.json.status, 'applied', retry.text);
    assert.equal((await revops.req('GET', '/api/v1/deals/777')).json.stage,
        'closed_lost');
    assert.equal(inboxRows(db), 1);
    // A value the preset cannot read is a failed event, not a refused
    // request: the rest of the batch is applied.
    const bad = await sendHubspot(srv.base, HS_SECRET, [
        hubspotEvent('deal.propertyChange', 777, 'closedate', '31/02/2026'),
        hubspotEvent('deal.propertyChange', 777, 'amount', '9000')]);
    assert.equal(bad.status, 200);
    assert.deepEqual([bad.json.applied, bad.json.failed], [1, 1]);
    const [f] = (await revops.req('GET', '/api/v1/events?status=failed'))
        .json.items;
    assert.match(f.error, /^closedate \(closed_on\): not a date '31\/02\/2026'/);
});

test('salesforce: an Outbound Message is applied and acknowledged; a ' +
    'resent Notification is applied once', async (t) => {
    const { db, srv, revops } = await setup(t);
    const note = {
        id: '04l000000000001AAA', type: 'Opportunity', fields: {
            Id: '006000000000001AAA', AccountId: 'A1', StageName: 'Closed Won',
            CloseDate: '2026-11-16', Amount: '52000.00', Type: 'New Business',
            CreatedDate: '2026-10-01T09:00:00.000Z', LeadSource: 'Web',
        },
    };
    const acct = { id: '04l000000000002AAA', type: 'Account', fields: {
        Id: 'A1', Name: 'Acme Renamed', Type: 'Customer - Direct',
        NumberOfEmployees: '250' } };
    const xml = soapEnvelope(ORG, [note, acct]);
    const r = await sendSalesforce(srv.base, xml);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<notificationsResponse[^>]*><Ack>true<\/Ack>/);
    const deal = (await revops.req('GET',
        '/api/v1/deals/006000000000001AAA')).json;
    assert.deepEqual([deal.stage, deal.closed_on, deal.arr, deal.source],
        ['closed_won', '2026-11-16', 52000, 'web']);
    assert.equal((await revops.req('GET', '/api/v1/accounts/A1')).json.name,
        'Acme Renamed');
    assert.deepEqual(reviews(db), ['006000000000001AAA']);
    const again = await sendSalesforce(srv.base, xml);
    assert.equal(again.status, 200);
    assert.equal(inboxRows(db), 2);
    assert.deepEqual(reviews(db), ['006000000000001AAA']);
    assert.equal(sql(db, "SELECT count(*) FROM inbox WHERE status = " +
        "'applied' AND attempts = 1"), '2');
});

test('salesforce: a foreign organization, a wrong URL secret and malformed ' +
    'XML are refused and nothing is stored', async (t) => {
    const { db, srv } = await setup(t);
    const note = { id: '04l000000000009AAA', type: 'Opportunity',
        fields: { Id: '006000000000001AAA', StageName: 'Closed Lost' } };
    const other = await sendSalesforce(srv.base,
        soapEnvelope('00D000000000002AAA', [note]));
    assert.equal(other.status, 401);
    assert.match(other.json.error.message, /^OrganizationId/);
    const bad = await sendSalesforce(srv.base,
        soapEnvelope(ORG, [note]).replace('</notifications>', ''));
    assert.equal(bad.status, 400);
    assert.ok(!bad.json.error.message.includes('\n'));
    const dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' +
        soapEnvelope(ORG, [note]).replace(/^<\?xml[^>]*>\n/, '');
    assert.equal((await sendSalesforce(srv.base, dtd)).status, 400);
    const many = soapEnvelope(ORG, Array.from({ length: 101 }, (_, i) =>
        ({ ...note, id: `04l0000000000${String(i).padStart(2, '0')}AAA` })));
    const tooMany = await sendSalesforce(srv.base, many);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.json.error.message, /over 100/);
    cli(db, ['config', 'set', 'salesforce_secret', 'sf-url-secret-0123456']);
    const noSecret = await sendSalesforce(srv.base, soapEnvelope(ORG, [note]));
    assert.equal(noSecret.status, 401);
    const withSecret = await sendSalesforce(srv.base,
        soapEnvelope(ORG, [note]), { secret: 'sf-url-secret-0123456' });
    assert.equal(withSecret.status, 200);
    assert.equal(inboxRows(db), 1);
});

test('1,000 events in a burst are all applied, once each', async (t) => {
    const { db, srv } = await setup(t);
    // Five HubSpot batches of 100 company name changes, sent together, and
    // as many generic events on their own, 20 at a time.
    const batches = Array.from({ length: 5 }, (_, b) =>
        Array.from({ length: 100 }, (_, i) => hubspotEvent(
            'company.propertyChange', 0, 'name', `Name ${b}-${i}`,
            50000 + b * 100 + i)));
    // Every event names the same company: the last applied wins, and
    // each is applied.
    for (const batch of batches)
        for (const ev of batch)
            ev.objectId = 1;
    const one = ['1', 'Acme', '', '', '', '', 'U6', '', 'customer'];
    cli(db, ['import', 'accounts', '-'], { input: ['id,name,industry,' +
        'employees,region,has_ops_function,csm_id,customer_since,status',
        one.join(',')].join('\n') + '\n' });
    const hs = await Promise.all(batches.map((b) =>
        sendHubspot(srv.base, HS_SECRET, b)));
    assert.ok(hs.every((r) => r.status === 200 && r.json.applied === 100),
        JSON.stringify(hs.map((r) => r.json)));
    let next = 0;
    const worker = async () => {
        while (next < 500) {
            const i = next++;
            const r = await sendGeneric(srv.base, SECRET, { id: `b-${i}`,
                kind: 'account', record: { id: `B${i}`, name: `Burst ${i}`,
                    status: 'prospect' } });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.applied, 1, r.text);
        }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    assert.equal(sql(db, "SELECT count(*) FROM inbox WHERE status = " +
        "'applied' AND attempts = 1"), '1000');
    assert.equal(sql(db, "SELECT count(*) FROM accounts WHERE id LIKE 'B%'"),
        '500');
});

test('settings: the webhook secrets are write-only and checked', async (t) => {
    const { db, revops } = await setup(t);
    const cfg = await revops.req('GET', '/api/v1/settings/config');
    assert.deepEqual(cfg.json.webhook_generic_secret, { set: true });
    assert.deepEqual(cfg.json.hubspot_app_secret, { set: true });
    assert.equal(cfg.json.salesforce_org_ids, ORG);
    assert.ok(!JSON.stringify(cfg.json).includes(SECRET));
    const etag = cfg.headers.get('etag');
    const short = await revops.req('PATCH', '/api/v1/settings/config',
        { body: { hubspot_app_secret: 'short' }, headers: { 'if-match': etag } });
    assert.equal(short.status, 400);
    assert.match(short.json.error.message, /^hubspot_app_secret: expected 16/);
    const org = await revops.req('PATCH', '/api/v1/settings/config',
        { body: { salesforce_org_ids: '00D1, x' },
            headers: { 'if-match': etag } });
    assert.equal(org.status, 400);
    assert.ok(!sql(db, 'SELECT new FROM audit').includes(SECRET));
});

test('an event stored but not applied when the server stopped is applied ' +
    'when it starts, once', async (t) => {
    const c = company(t, { accounts: [account('A1')] });
    cli(c.db, ['config', 'set', 'webhook_generic_secret', SECRET]);
    // What a crash between receive and apply leaves: a pending row.
    const payload = JSON.stringify({ id: 'evt-crash', kind: 'deal',
        record: wonDeal('G20') }).replace(/'/g, "''");
    sql(c.db, 'INSERT INTO inbox (workspace_id, source, event_id, ' +
        "received_at, payload, status) VALUES (1, 'generic', 'evt-crash', " +
        `'2026-11-18T09:59:00Z', '${payload}', 'pending')`);
    const srv = await startServer(t, c.db);
    assert.deepEqual(reviews(c.db), ['G20']);
    assert.equal(sql(c.db, 'SELECT status, attempts FROM inbox'), 'applied|1');
    // The sender, never having read a reply, sends it again: once.
    const r = await sendGeneric(srv.base, SECRET, { id: 'evt-crash',
        kind: 'deal', record: wonDeal('G20') });
    assert.equal(r.json.new, 0);
    assert.deepEqual(reviews(c.db), ['G20']);
});

test('an event left pending while the server runs is applied by its next ' +
    'delivery round', async (t) => {
    const c = company(t, { accounts: [account('A1')] });
    cli(c.db, ['config', 'set', 'webhook_generic_secret', SECRET]);
    const srv = await startServer(t, c.db, ['--deliver-every', '1']);
    // What a store failure in the receiving request leaves: a pending row,
    // written after the start's own sweep.
    const payload = JSON.stringify({ id: 'evt-late', kind: 'deal',
        record: wonDeal('G21') }).replace(/'/g, "''");
    sql(c.db, 'INSERT INTO inbox (workspace_id, source, event_id, ' +
        "received_at, payload, status) VALUES (1, 'generic', 'evt-late', " +
        `'2026-11-18T09:59:00Z', '${payload}', 'pending')`);
    let status = '';
    for (let i = 0; i < 100 && status !== 'applied|1'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = sql(c.db, 'SELECT status, attempts FROM inbox');
    }
    assert.equal(status, 'applied|1');
    assert.deepEqual(reviews(c.db), ['G21']);
    assert.equal(srv.proc.exitCode, null);
});

test('hostile bodies to the webhooks are refused and the server stays up',
    async (t) => {
        const { db, srv } = await setup(t);
        const sf = (body) => sendSalesforce(srv.base, body);
        // Over the body limit (1 MiB): 413 before it is parsed.
        assert.equal((await sf('<a>' + 'x'.repeat(2 << 20) + '</a>')).status,
            413);
        // Deep nesting, entity expansion, binary junk, an empty body.
        assert.equal((await sf('<a>'.repeat(20000) + '</a>'.repeat(20000)))
            .status, 400);
        const laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">' +
            Array.from({ length: 9 }, (_, i) =>
                `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i ? 'b'.repeat(i) : 'a'};`
                    .repeat(10)}">`).join('') + ']><l>&bbbbbbbbb;</l>';
        assert.equal((await sf(laughs)).status, 400);
        assert.equal((await sf(Buffer.from([0xff, 0xfe, 0x00, 0x3c, 0x80])))
            .status, 400);
        assert.equal((await sf('')).status, 400);
        // No signature at all, and a signed body that is not UTF-8 JSON.
        const hs = await fetch(`${srv.base}/api/v1/webhooks/hubspot`,
            { method: 'POST', body: '[]' });
        assert.equal(hs.status, 401);
        assert.equal((await sendGeneric(srv.base, SECRET,
            Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1'))).status, 400);
        assert.equal((await sendHubspot(srv.base, HS_SECRET, '{"a": 1}'))
            .status, 400);
        assert.equal((await sendHubspot(srv.base, HS_SECRET, [1, 2])).status,
            400);
        assert.equal((await fetch(`${srv.base}/api/v1/hello`)).status, 200);
        assert.equal(inboxRows(db), 0);
    });

test('a webhook whose setting is not set is off', async (t) => {
    const c = company(t, { accounts: [account('A1')] });
    const srv = await startServer(t, c.db);
    const r = await sendGeneric(srv.base, SECRET,
        { id: 'x', kind: 'account', record: { id: 'A2', name: 'B',
            status: 'prospect' } });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'not_configured');
    assert.equal((await sendSalesforce(srv.base, soapEnvelope(ORG, [])))
        .status, 403);
    assert.equal((await sendHubspot(srv.base, HS_SECRET, [])).status, 403);
});

test('closeloop migrate copies the inbox, and new events follow it',
    { skip: !PG && 'needs CLOSELOOP_TEST_PG' }, async (t) => {
        // A SQLite workspace whatever the lane: the source of a migration.
        const src = path.join(tempDir(t), 'src.db');
        ok(['init', '--db', src]);
        const payload = (id) => JSON.stringify({ id, kind: 'account',
            record: { id: `M-${id}`, name: id, status: 'prospect' } });
        for (const [id, status] of [['m1', 'applied'], ['m2', 'failed']])
            sql(src, 'INSERT INTO inbox (workspace_id, source, event_id, ' +
                'received_at, payload, status, error, attempts) VALUES (1, ' +
                `'generic', '${id}', '2026-11-18T09:00:00Z', ` +
                `'${payload(id)}', '${status}', ` +
                `${status === 'failed' ? "'x: y'" : 'NULL'}, 1)`);
        const dst = pgDatabase(t);
        const r = ok(['migrate', '--from', `sqlite:${src}`, '--to', dst]);
        assert.match(r.stdout, /^inbox\s+2 rows/m);
        ok(['config', 'set', 'webhook_generic_secret', SECRET, '--db', dst]);
        const srv = await startServer(t, dst);
        const n = await sendGeneric(srv.base, SECRET, { id: 'm3',
            kind: 'account', record: { id: 'M-m3', name: 'm3',
                status: 'prospect' } });
        assert.equal(n.status, 200, n.text);
        assert.deepEqual(n.json.events, [3]);
        assert.equal(sql(dst, 'SELECT event_id || status FROM inbox ORDER ' +
            'BY id').replace(/\n/g, ' '), 'm1applied m2failed m3applied');
    });
