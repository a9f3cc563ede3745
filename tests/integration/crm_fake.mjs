// crm_fake.mjs - small fake CRM senders for the webhook tests: each signs
// and posts what the real one would (docs/integrations.md), with node's
// crypto; options break one thing at a time (a bad signature, a stale
// timestamp).
import { createHmac } from 'node:crypto';

import { TEST_NOW } from './lib.mjs';

// The server's clock in the tests (CLOSELOOP_NOW), in seconds.
export const NOW_S = Math.floor(Date.parse(TEST_NOW + 'Z') / 1000);

async function post(url, body, headers) {
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        // XML (Salesforce's Ack) or nothing.
    }
    return { status: res.status, text, json };
}

// The generic webhook: body (an object or raw text), signed over
// "TIMESTAMP.BODY" with secret; ts in seconds, sig to send a given one.
export function sendGeneric(base, secret, body, { ts = NOW_S, sig } = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const mac = createHmac('sha256', secret).update(`${ts}.${text}`)
        .digest('hex');
    return post(`${base}/api/v1/webhooks/generic`, text, {
        'content-type': 'application/json',
        'x-closeloop-timestamp': String(ts),
        'x-closeloop-signature': sig ?? `sha256=${mac}`,
    });
}

// HubSpot's v3 signature: base64 HMAC-SHA256 over method, the full URL,
// the body and the timestamp in milliseconds.
export function sendHubspot(base, secret, events, { tsMs = NOW_S * 1000,
    sig } = {}) {
    const url = `${base}/api/v1/webhooks/hubspot`;
    const text = typeof events === 'string' ? events : JSON.stringify(events);
    const mac = createHmac('sha256', secret)
        .update(`POST${url}${text}${tsMs}`).digest('base64');
    return post(url, text, {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(tsMs),
        'x-hubspot-signature-v3': sig ?? mac,
    });
}

let nextEvent = 1000;

// One HubSpot event as HubSpot writes it.
export function hubspotEvent(type, objectId, propertyName, propertyValue,
    eventId = nextEvent++) {
    const ev = {
        eventId, subscriptionId: 77, portalId: 4242, appId: 99,
        occurredAt: NOW_S * 1000 - 5000, subscriptionType: type,
        attemptNumber: 0, objectId, changeSource: 'CRM_UI',
    };
    if (propertyName) {
        ev.propertyName = propertyName;
        ev.propertyValue = propertyValue;
    }
    return ev;
}

const xmlText = (s) => String(s).replace(/&/g, '&amp;')
    .replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A Salesforce Outbound Message: notes are [{ id, type, fields }].
export function soapEnvelope(orgId, notes) {
    const body = notes.map((n) => '<Notification>' +
        `<Id>${xmlText(n.id)}</Id>` +
        `<sObject xsi:type="sf:${n.type}" ` +
        'xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
        Object.entries(n.fields).map(([k, v]) => v === null
            ? `<sf:${k} xsi:nil="true"/>`
            : `<sf:${k}>${xmlText(v)}</sf:${k}>`).join('') +
        '</sObject></Notification>').join('');
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<soapenv:Envelope ' +
        'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<soapenv:Body>' +
        '<notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
        `<OrganizationId>${xmlText(orgId)}</OrganizationId>` +
        '<ActionId>04k000000000001AAA</ActionId>' +
        '<SessionId xsi:nil="true"/>' +
        '<EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/59.0</EnterpriseUrl>' +
        '<PartnerUrl>https://example.my.salesforce.com/services/Soap/u/59.0</PartnerUrl>' +
        body + '</notifications></soapenv:Body></soapenv:Envelope>';
}

// Posts an Outbound Message (xml: the envelope, or raw text).
export function sendSalesforce(base, xml, { secret } = {}) {
    const q = secret ? `?secret=${encodeURIComponent(secret)}` : '';
    return post(`${base}/api/v1/webhooks/salesforce${q}`, xml, {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: '""',
    });
}
