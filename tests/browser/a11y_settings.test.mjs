// Issue 16: the settings, import and own-account pages have no serious or
// critical accessibility violation by axe-core, at desktop and phone
// widths (a11y.test.mjs walks the other pages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { a11yWalk, browser, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('the settings, import and own-account pages have no serious ' +
    'accessibility violation, at desktop and phone widths',
{ timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
    const { page, errors } = await browser(t);
    await signIn(page, ctx, 'u-revops-1');
    const settings = ['/settings', '/settings/thresholds',
        '/settings/holidays', '/settings/channels', '/settings/crm'];
    assert.deepEqual(await a11yWalk(page, ctx, [...settings, '/import', '/me'],
        'revops'), []);
    assert.deepEqual(errors, []);
});
