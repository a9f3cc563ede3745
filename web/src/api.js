// api.js - the one place the UI talks to the server.  The server decides
// what each user may see (docs/design.md section 6); the UI shows what it is
// given and never filters records itself.

let csrf = null;

export class ApiError extends Error {
    constructor(status, body) {
        const e = (body && body.error) || {};
        super(e.message || `HTTP ${status}`);
        this.status = status;
        this.code = e.code || 'http_error';
        this.field = e.field || null;
        this.body = body; // the whole reply (an import's errors list)
    }
}

export function setCsrf(token) {
    csrf = token;
}

async function call(
    method,
    path,
    body,
    headers = {},
    raw = false,
    withEtag = false,
) {
    const h = { Accept: 'application/json', ...headers };
    if (body !== undefined && !raw) h['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf;
    const res = await fetch(`/api/v1${path}`, {
        method,
        headers: h,
        credentials: 'same-origin',
        body:
            body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    if (res.status === 204) return null;
    let doc = null;
    try {
        doc = await res.json();
    } catch {
        doc = null;
    }
    if (!res.ok) throw new ApiError(res.status, doc);
    return withEtag ? { doc, etag: res.headers.get('ETag') } : doc;
}

// A query string from an object, leaving out empty values.
export function qs(params) {
    const p = Object.entries(params || {}).filter(
        ([, v]) => v !== undefined && v !== null && v !== '',
    );
    return p.length ? '?' + new URLSearchParams(p).toString() : '';
}

export const api = {
    get: (path, params) => call('GET', path + qs(params)),
    // A record with its ETag, for an edit that sends it back as If-Match.
    getTagged: (path) => call('GET', path, undefined, {}, false, true),
    post: (path, body = {}) => call('POST', path, body),
    patch: (path, body, etag) =>
        call('PATCH', path, body, etag ? { 'If-Match': etag } : {}),
    del: (path) => call('DELETE', path),
    // A file as it is (a CSV import): body is a Blob or a string.
    upload: (path, body, type = 'text/csv') =>
        call('POST', path, body, { 'Content-Type': type }, true),
    put: (path, body, etag) =>
        call('PUT', path, body, etag ? { 'If-Match': etag } : {}),
};
