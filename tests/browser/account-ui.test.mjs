// account-ui.test.mjs — the account pages in a real browser (Debian's chromium
// driven by playwright-core) on a server with a fresh SQLite records database.
// API tokens: the tokens page asks to sign in first and comes back; a token
// request without a name or with 400 days is refused next to the fields; a
// token made in the UI is shown once (copy button, plain warning), works as a
// bearer token from node, is gone from the page after a reload and never comes
// back from the API; revoking asks first (Cancel keeps it), then the API
// answers 401 with it; revoking a token that no longer exists says so.
// Activity log: newest first in the reader's time zone, with the account's
// creation, a sign-in, each token's creation and revocation in order; older
// entries by the `before` cursor, by keyboard; exactly the account's own
// entries, never another user's (whose rows are interleaved with them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { account, freshDb, startServer } from './records-lib.mjs';

const SHOTS = process.env.MATERIA_SCREENSHOTS || '';      // a directory: save screenshots there
const PASSWORD = 'a long enough password';
let db, srv, browser, ctx, page, bob;
const errors = [];

before(async () => {
  db = freshDb('sqlite');
  srv = await startServer(db.url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // One reader through both tests, at phone width, in Paris.
  ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Paris', locale: 'en-GB' });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.base });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});
after(async () => { await ctx?.close(); await browser?.close(); await srv?.stop(); db?.drop(); });

const bearer = (token) => fetch(srv.base + '/api/v1/profiles', { headers: { Authorization: 'Bearer ' + token } });
async function shot(name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
const focusedId = () => page.evaluate(() => document.activeElement && document.activeElement.id);

// Every visible form control in main has a label, and nothing is wider than the viewport.
async function checkPage() {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
    .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, [], 'every form control has a label');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no horizontal scrolling at phone width (${wide} px)`);
}

// The account's own audit log from the API (by the page's session cookie), newest first.
async function apiAudit() {
  const r = await page.request.get(srv.base + '/api/v1/audit?limit=1000');
  assert.equal(r.status(), 200);
  return (await r.json()).audit;
}

let clinicId = 0;

test('API tokens: refused with the field named, made and shown once, copied, used, revoked after a confirmation', async () => {
  // Not signed in: the tokens page asks to sign in, then comes back to it.
  await page.goto(srv.base + '/#/account/tokens');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  const reg = page.getByRole('form', { name: 'Create an account' });
  await reg.getByLabel('Username').fill('ada');
  await reg.getByLabel('Password').fill(PASSWORD);
  await reg.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
  await page.getByText('No API tokens.').waitFor();
  await checkPage();

  // Another user, from now on: their audit rows fall between ada's.
  bob = await account(srv.base, 'bob');

  // Refused: no name, 400 days. Each error is next to its field; focus on the first.
  const form = page.getByRole('form', { name: 'Create a token' });
  await form.getByLabel('Works for (days)').fill('400');
  await form.getByRole('button', { name: 'Create token' }).click();
  const labelErr = form.locator('[data-field="label"] .field-error');
  await labelErr.waitFor();
  assert.match(await labelErr.innerText(), /required/);
  assert.match(await form.locator('[data-field="expires_in_days"] .field-error').innerText(), /1 to 365/);
  assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  assert.equal(await focusedId(), 'token-label', 'focus on the first bad field');
  assert.equal(await page.getByText('No API tokens.').count(), 1, 'nothing made');

  // Made: the secret is shown with a copy button and the warning; focus on its heading.
  await form.getByLabel('Name').fill('Clinic EHR');
  await form.getByLabel('Works for (days)').fill('30');
  await form.getByRole('button', { name: 'Create token' }).click();
  const made = page.locator('#token-made');
  await made.getByRole('heading', { name: 'New token: Clinic EHR' }).waitFor();
  assert.equal(await focusedId(), 'token-made-h');
  const secret = await made.getByLabel('Token').inputValue();
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
  assert.match(await made.innerText(), /Copy it now: it will not be shown again\./);
  await made.getByRole('button', { name: 'Copy' }).click();
  await made.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'the copy button copies the secret');
  const item = page.locator('.tokens li').filter({ hasText: 'Clinic EHR' });
  await item.waitFor();
  assert.match(await item.innerText(), /Made .+ · works until /);
  assert.equal(await form.getByLabel('Name').inputValue(), '', 'the form is cleared');
  await checkPage();
  await shot('account-token-made');

  // It works as a bearer token from outside the browser.
  const ok = await bearer(secret);
  assert.equal(ok.status, 200);
  assert.ok(Array.isArray((await ok.json()).profiles));

  // Shown once: the API lists it by name only, and after a reload the page does too.
  const listed = await page.request.get(srv.base + '/api/v1/auth/tokens');
  const listText = await listed.text();
  assert.ok(!listText.includes(secret), 'the API never gives the secret back');
  const tokens = JSON.parse(listText).tokens;
  assert.deepEqual(tokens.map((t) => t.label), ['Clinic EHR']);
  clinicId = tokens[0].id;
  await made.getByRole('button', { name: 'Done, hide it' }).click();
  assert.equal(await made.isHidden(), true);
  assert.equal(await focusedId(), 'token-label');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
  await item.waitFor();
  assert.ok(!(await page.content()).includes(secret), 'the secret is nowhere on the page any more');
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0);

  // Bob makes a token of his own: it is not in ada's list.
  const bobTok = await bob.creq('POST', '/auth/tokens', { label: 'bob private' });
  assert.equal(bobTok.status, 201);
  await page.reload();
  await item.waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /bob private|tests/);

  // Revoke, by keyboard: the question first (focus on it); Cancel keeps the token.
  const revoke = page.getByRole('button', { name: 'Revoke Clinic EHR' });
  await revoke.press('Enter');
  await page.getByText('Programs that use it stop working at once.').waitFor();
  assert.equal(await focusedId(), `token-${clinicId}-confirm`, 'focus on the question');
  await page.getByRole('button', { name: 'Cancel' }).press('Enter');
  assert.equal(await focusedId(), `token-${clinicId}-revoke`, 'focus back on the button');
  assert.equal((await bearer(secret)).status, 200, 'cancel keeps it working');
  await revoke.press('Enter');
  await shot('account-token-revoke');
  await page.getByRole('button', { name: 'Yes, revoke Clinic EHR' }).press('Enter');
  await page.getByText('No API tokens.').waitFor();
  await page.waitForFunction(() => /Revoked Clinic EHR/.test(document.getElementById('rec-live').textContent));
  assert.equal(await focusedId(), 'tokens-h');
  const gone = await bearer(secret);
  assert.equal(gone.status, 401, 'a revoked token is refused');

  // A token revoked elsewhere (here: its own logout) cannot be revoked again: the page says so.
  await form.getByLabel('Name').fill('Old script');
  await form.getByRole('button', { name: 'Create token' }).click();
  await made.getByRole('heading', { name: 'New token: Old script' }).waitFor();
  const old = await made.getByLabel('Token').inputValue();
  const out = await fetch(srv.base + '/api/v1/auth/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + old } });
  assert.equal(out.status, 204);
  await page.getByRole('button', { name: 'Revoke Old script' }).click();
  await page.getByRole('button', { name: 'Yes, revoke Old script' }).click();
  await page.locator('.confirm [role="alert"]').filter({ hasText: 'This token no longer exists' }).waitFor();
  assert.deepEqual(errors, [], 'no script errors');
});

test('activity log: newest first in local time, tokens made and revoked, older entries, only the account\'s own', async () => {
  assert.ok(clinicId, 'the first test made a token');
  // From the tokens page to the account page to the activity log.
  await page.goto(srv.base + '/#/account/tokens');
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
  await page.getByRole('link', { name: /Your account/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  await page.getByRole('link', { name: 'Activity log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
  const items = page.locator('ol.audit > li');
  await items.first().waitFor();
  const texts = await items.allInnerTexts();
  const api = await apiAudit();
  assert.equal(texts.length, api.length, 'every entry of the account, on one page');

  // In order, newest first: the Clinic EHR token revoked, made, after a sign-in, after the account was made.
  const at = (re, from = 0) => texts.findIndex((t, i) => i >= from && re.test(t));
  const iRevoke = at(new RegExp(`API token revoked\\s+Clinic EHR \\(token ${clinicId}\\)$`));
  const iCreate = at(new RegExp(`API token created\\s+Clinic EHR \\(token ${clinicId}\\)$`));
  const iLogin = at(/Signed in/, iCreate);
  assert.ok(iRevoke >= 0 && iCreate > iRevoke && iLogin > iCreate, texts.join('\n'));
  assert.match(texts[texts.length - 1], /Account created/);
  assert.match(texts[0], /API token revoked/, 'the last thing done comes first');
  assert.match(texts[1], /API token created\s+Old script \(token \d+\)$/);

  // Times in the reader's zone (Paris), not UTC.
  const iso = await items.nth(iCreate).locator('time').getAttribute('datetime');
  const hhmm = new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  assert.ok(texts[iCreate].includes(hhmm), `${texts[iCreate]} shows ${hhmm} (Paris)`);
  assert.match(await page.locator('main').innerText(), /Europe\/Paris/);

  // Never another user's entries, though bob's rows sit between ada's.
  const bobAudit = (await bob.creq('GET', '/audit')).json.audit;
  assert.ok(bobAudit.some((a) => a.detail === 'bob private'), 'bob has entries of his own');
  const all = texts.join('\n');
  assert.doesNotMatch(all, /bob private|tests/);
  const adaIds = new Set(api.map((a) => a.id));
  assert.ok(bobAudit.every((a) => !adaIds.has(a.id)));
  assert.ok(Math.min(...bobAudit.map((a) => a.id)) < Math.max(...api.map((a) => a.id)), 'the ids interleave');
  await checkPage();
  assert.equal(await page.getByRole('button', { name: 'Show older entries' }).count(), 0, 'one page holds them all');

  // 30 more entries: 25 are shown, older ones by the button (keyboard), focus on the first of them.
  const csrf = await page.evaluate(() => sessionStorage.getItem('materia.csrf'));
  for (let i = 1; i <= 30; i++) {
    const r = await page.request.post(srv.base + '/api/v1/auth/tokens',
      { headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, data: { label: 'bulk ' + i } });
    assert.equal(r.status(), 201);
  }
  await bob.creq('POST', '/profiles', { name: 'Bobby', relation: 'self' });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
  await items.first().waitFor();
  assert.equal(await items.count(), 25);
  assert.match(await items.first().innerText(), /bulk 30 \(token \d+\)$/);
  const older = page.getByRole('button', { name: 'Show older entries' });
  await older.focus();
  await page.keyboard.press('Enter');
  await page.getByText('No older entries.').waitFor();
  const api2 = await apiAudit();
  const texts2 = await items.allInnerTexts();
  assert.equal(texts2.length, api2.length, 'every entry, once');
  assert.equal(texts2.length, texts.length + 30);
  assert.match(texts2[25], /bulk 5 \(token \d+\)$/);
  assert.ok(await items.nth(25).evaluate((el) => el === document.activeElement), 'focus on the first older entry');
  api2.forEach((a, i) => { if (a.detail) assert.ok(texts2[i].includes(a.detail), `entry ${i}: ${texts2[i]} has ${a.detail}`); });
  assert.doesNotMatch(texts2.join('\n'), /bob private|Bobby|tests/);
  assert.match(texts2[texts2.length - 1], /Account created/);
  await checkPage();
  await shot('account-activity');
  assert.deepEqual(errors, [], 'no script errors');
});
