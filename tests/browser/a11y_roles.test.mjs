// Issue 16: the pages an AE, a CSM, an admin and a sales manager reach
// have no serious or critical accessibility violation by axe-core, at
// desktop and phone widths (a11y.test.mjs walks RevOps's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { a11yWalk, browser, signIn, signOut, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('the pages of an AE, a CSM, an admin and a sales manager have no ' +
    'serious accessibility violation, at desktop and phone widths',
{ timeout: TEST_TIMEOUT }, async (t) => {
    const roles = ['u-ae-1', 'u-csm-1', 'u-admin-1', 'u-sales-manager-1'];
    const ctx = await startWorkspace(t, { users: roles });
    const { page, errors } = await browser(t);
    const own = { 'u-admin-1': ['/people', '/settings'],
        'u-sales-manager-1': ['/team', '/coaching?new=1'] };
    const bad = [];
    for (const u of roles) {
        await signIn(page, ctx, u);
        bad.push(...await a11yWalk(page, ctx, own[u] || ['/', '/accounts',
            '/pipeline', '/coaching', '/me'], u));
        await signOut(page);
    }
    assert.deepEqual(bad, []);
    assert.deepEqual(errors, []);
});
