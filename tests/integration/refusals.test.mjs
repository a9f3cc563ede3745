// Issue 16, plain language: a refusal a person reads in the UI names the
// churn or deal by its account ("The churn of Account A1 is already
// closed"), never by its id, and the API's error keeps its shape: code,
// message and, where one is to blame, field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, company, wonDeal } from './engine_lib.mjs';
import { Client, startServer } from './api_lib.mjs';

const NOW = '2026-11-18T10:00';
const IDS = /\b(C1|D1|D2)\b/;

function refused(r, status, code) {
    assert.equal(r.status, status, r.text);
    assert.deepEqual(Object.keys(r.json), ['error']);
    assert.equal(r.json.error.code, code);
    assert.doesNotMatch(r.json.error.message, IDS);
    return r.json.error;
}

test('refusals name the churn and the deal by their account, not their ids',
    async (t) => {
        const lost = wonDeal('D2', 'A2', 'U3', '2025-01-10', 20000);
        lost[5] = 'closed_lost';
        const { db } = company(t, {
            accounts: [account('A1'), account('A2')],
            deals: [wonDeal('D1', 'A1', 'U3', '2025-01-10', 20000), lost],
            churns: [churn('C1', 'A1', 'D1', '2026-11-10')],
        });
        const srv = await startServer(t, db, ['--now', NOW]);
        const csm = new Client(srv, { token: cli(db, ['token', 'create',
            '--user', 'U6']).stdout.trim() });
        const tag = {
            primary_cause: 'pricing', stated_reason: 'Too expensive',
            diagnosis: 'Low adoption',
            predictive_behavior: 'Bought on discount, no champion',
        };

        // Closing untagged, then the same tag twice.
        let e = refused(await csm.post('/api/v1/churns/C1/close', {}), 409,
            'conflict');
        assert.match(e.message, /^The churn of Account A1 cannot be closed untagged/);
        assert.equal((await csm.post('/api/v1/churns/C1/tag', tag)).status, 200);
        e = refused(await csm.post('/api/v1/churns/C1/tag', tag), 400, 'invalid');
        assert.equal(e.message,
            'The churn of Account A1 already has this tag; nothing changed');

        // Closed once; a second close and a re-tag are refused in words.
        assert.equal((await csm.post('/api/v1/churns/C1/close', {})).status, 200);
        e = refused(await csm.post('/api/v1/churns/C1/close', {}), 409,
            'conflict');
        assert.equal(e.message, 'The churn of Account A1 is already closed');
        e = refused(await csm.post('/api/v1/churns/C1/tag',
            { ...tag, primary_cause: 'poor_service' }), 409, 'conflict');
        assert.match(e.message, /^The churn of Account A1 is closed; reopen it/);

        // Reopening needs a reason: the field, then the churn in words.
        e = refused(await csm.post('/api/v1/churns/C1/reopen', { reason: ' ' }),
            400, 'invalid');
        assert.match(e.message, /reopening the churn of Account A1 needs a reason/);

        // Only won deals are reviewed.
        const answers = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) =>
            [`q${i}`, `A specific answer to question ${i}.`]));
        e = refused(await csm.post('/api/v1/deals/D2/review',
            { ...answers, gut_read: 'positive' }), 409, 'conflict');
        assert.match(e.message, /^The deal with Account A2 is not closed won/);
    });
