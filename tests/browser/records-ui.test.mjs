// records-ui.test.mjs — the "My medicines" pages in a real browser (Debian's
// chromium driven by playwright-core), on a server with a fresh SQLite records
// database: create an account and sign in, make a profile, add sertraline
// with the search-as-you-type suggestions, add tramadol and see the serotonin
// alert on the page, log a dose, read the reminders and refills, allergies,
// conditions, the calendar address, exports and a FHIR import, stop a
// medicine, sign out; another user gets the not-found view for the first
// user's profile page; profiles renamed and deleted by keyboard; the daily
// total of an ingredient two products share. By labels and roles, mostly at
// phone width (390 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { freshDb, startServer } from './records-lib.mjs';

const SHOTS = process.env.MATERIA_SCREENSHOTS || '';      // a directory: save screenshots there
const PASSWORD = 'a long enough password';
let db, srv, browser, profileUrl;

before(async () => {
  db = freshDb('sqlite');
  srv = await startServer(db.url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); await srv?.stop(); db?.drop(); });

// 08:00 UTC (the server's spread of a once-a-day schedule) on today's date, as a reader in Paris sees it.
const PARIS_0800 = (() => { const n = new Date(); return new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate(), 8, 0))
  .toLocaleTimeString('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }); })();
const phone = () => browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Paris' });

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

// Every visible form control in main has a label, and nothing is wider than the viewport.
async function checkPage(page) {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
    .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, [], 'every form control has a label');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no horizontal scrolling at phone width (${wide} px)`);
}

async function addMedicine(page, typed, pick, fill) {
  const form = page.getByRole('form', { name: 'Add a medicine' });
  const drug = form.getByRole('combobox', { name: 'Drug or product' });
  await drug.pressSequentially(typed, { delay: 15 });
  const option = page.getByRole('option').filter({ hasText: pick }).first();
  await option.waitFor();
  await option.click();
  assert.equal(await drug.inputValue(), pick);
  await fill(form);
  await form.getByRole('button', { name: 'Add medicine' }).click();
}

test('account, profile, medicines with alerts, doses, reminders, lists, calendar, files, sign out', async () => {
  const ctx = await phone();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Not signed in: "My medicines" leads to the sign-in page.
  await page.goto(srv.base + '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My medicines' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await checkPage(page);

  // Create an account: a short password is refused next to the password field.
  const reg = page.getByRole('form', { name: 'Create an account' });
  await reg.getByLabel('Username').fill('ada');
  await reg.getByLabel('Password').fill('short');
  await reg.getByRole('button', { name: 'Create account' }).click();
  const pwErr = reg.locator('[data-field="password"] .field-error');
  await pwErr.waitFor();
  assert.match(await pwErr.innerText(), /10/);
  assert.equal(await reg.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'register-password', 'focus on the bad field');
  await reg.getByLabel('Password').fill(PASSWORD);
  await reg.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My medicines' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');

  // Sign out, then sign in: a wrong password is an error on the form, the right one signs in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  const login = page.getByRole('form', { name: 'Sign in' });
  await login.getByLabel('Username').fill('ada');
  await login.getByLabel('Password').fill('not the password');
  await login.getByRole('button', { name: 'Sign in' }).click();
  await login.locator('.form-error').filter({ hasText: /wrong/ }).waitFor();
  await login.getByLabel('Password').fill(PASSWORD);
  await login.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'My medicines' }).waitFor();

  // A profile, made and opened.
  const add = page.getByRole('form', { name: 'Add a person' });
  await add.getByLabel('Name').fill('Ada');
  await add.getByLabel('Relation').selectOption('self');
  await add.getByRole('button', { name: 'Add person' }).click();
  await page.getByRole('link', { name: 'Ada', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Ada' }).waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'H1');
  profileUrl = page.url();
  assert.match(profileUrl, /#\/me\/\d+$/);
  await page.getByText('No current medicines. Add one below.').waitFor();
  await checkPage(page);

  // Sertraline, picked from the suggestions, with a small stock: saved without alerts.
  await addMedicine(page, 'sertr', 'sertraline', async (form) => {
    await form.getByLabel('Strength').fill('50 mg');
    await form.getByLabel('Dose').fill('1');
    await form.getByText('Dates, prescriber, notes and stock').click();
    await form.getByLabel('Stock').fill('6');
    await form.getByLabel('Refill warning at').fill('5');
    await form.getByLabel('Prescriber').fill('Dr Okafor');
  });
  const result = page.locator('#med-result');
  await result.getByRole('heading', { name: 'Saved sertraline' }).waitFor();
  const sertraline = page.locator('article.med').filter({ hasText: 'sertraline' });
  await sertraline.waitFor();
  assert.match(await sertraline.innerText(), new RegExp('Once a day, at ' + PARIS_0800), 'UTC 08:00 shown in Paris time');
  assert.match(await sertraline.innerText(), /Dr Okafor/);

  // A bad clock time is refused next to the clock-times field, and nothing is added.
  await addMedicine(page, 'tramad', 'tramadol', async (form) => {
    await form.getByLabel('Clock times').fill('09:00, 25:00');
  });
  const timesErr = page.locator('#sec-add [data-field="schedule.times"] .field-error');
  await timesErr.waitFor();
  assert.match(await timesErr.innerText(), /HH:MM|clock|time/i);
  assert.equal(await page.locator('article.med').count(), 1);

  // Tramadol at 09:00 and 21:00 Paris time: the serotonin alert is on the page, with its sources.
  const form = page.getByRole('form', { name: 'Add a medicine' });
  await form.getByLabel('Clock times').fill('09:00, 21:00');
  await form.getByRole('button', { name: 'Add medicine' }).click();
  await result.getByRole('heading', { name: /tramadol: \d+ alerts?/ }).waitFor();
  const alertText = await result.innerText();
  assert.match(alertText, /tramadol \+ sertraline/);
  assert.match(alertText, /serotonin syndrome/i);
  assert.match(alertText, /ANSM/);
  assert.match(alertText, /Class effect: serotonergic/);
  assert.match(alertText, /does not replace your prescriber or pharmacist/);
  assert.ok(await result.locator('.badge.hr').count() > 0, 'severity badges');
  const live = await page.locator('#med-live').innerText();
  assert.match(live, /interaction: tramadol with sertraline/, 'the live region says it');
  const tramadol = page.locator('article.med').filter({ hasText: 'tramadol' });
  assert.match(await tramadol.innerText(), /At 09:00 and 21:00/);
  // the profile-wide check lists it too
  await page.locator('#sec-checks').getByText(/sertraline \+ tramadol|tramadol \+ sertraline/).first().waitFor();
  await shot(page, 'profile-alerts');

  // Log a dose: the log shows it, the stock drops to the refill level, the refill is due.
  await sertraline.getByRole('button', { name: 'Taken: sertraline' }).click();
  await page.locator('#sec-doses li').filter({ hasText: 'sertraline' }).filter({ hasText: 'Taken' }).waitFor();
  await sertraline.getByText('Refill due').waitFor();
  assert.match(await sertraline.innerText(), /5 tablets left/);
  assert.equal(await page.evaluate(() => document.activeElement.id), await sertraline.getByRole('button', { name: 'Taken: sertraline' }).getAttribute('id'),
    'focus stays on the button');

  // Reminders: tramadol twice and sertraline once in the next 24 hours; sertraline's refill.
  const next = page.locator('#sec-next');
  await next.getByText('Refills due').waitFor();
  const nextText = await next.innerText();
  assert.equal((nextText.match(/tramadol/g) || []).length, 2, nextText);
  assert.match(nextText, new RegExp('(Today|Tomorrow) ' + PARIS_0800 + ' sertraline'));
  assert.match(nextText, /Europe\/Paris/);

  // Allergies and conditions: add, see, remove.
  const allergy = page.getByRole('form', { name: 'Add an allergy' });
  await allergy.getByLabel('Substance').fill('penicillin');
  await allergy.getByLabel('Severity').selectOption('severe');
  await allergy.getByRole('button', { name: 'Add allergy' }).click();
  await page.locator('#sec-allergies li').filter({ hasText: 'penicillin' }).waitFor();
  const cond = page.getByRole('form', { name: 'Add a condition' });
  await cond.getByLabel('Condition').fill('asthma');
  await cond.getByLabel('Since').fill('2001-02-03');
  await cond.getByRole('button', { name: 'Add condition' }).click();
  await page.locator('#sec-conditions li').filter({ hasText: 'asthma' }).waitFor();
  await page.locator('#sec-allergies').getByRole('button', { name: 'Remove penicillin' }).click();
  await page.locator('#sec-allergies').getByText('No allergy recorded.').waitFor();

  // The calendar address: made, fetchable, revoked.
  await page.getByRole('button', { name: 'Make a calendar address' }).click();
  const calUrl = await page.getByLabel('Calendar address').inputValue();
  assert.match(calUrl, /\/api\/v1\/calendar\.ics\?token=/);
  const ics = await fetch(calUrl);
  assert.equal(ics.status, 200);
  assert.match(await ics.text(), /SUMMARY:Take tramadol/);
  await page.getByRole('button', { name: 'Stop the address' }).click();
  await page.getByText('This profile has no calendar address.').waitFor();
  assert.equal((await fetch(calUrl)).status, 404);

  // Exports are links the session can follow; a FHIR Bundle file imports, a bad one imports nothing.
  const csvHref = await page.getByRole('link', { name: 'Spreadsheet' }).getAttribute('href');
  const csv = await page.request.get(srv.base + csvHref);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /sertraline/);
  const printable = await page.getByRole('link', { name: 'Printable list for a clinician' }).getAttribute('href');
  assert.match(await (await page.request.get(srv.base + printable)).text(), /Medication list: Ada/);
  const file = page.getByLabel('FHIR Bundle file');
  const bundle = (entries) => ({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries })) });
  await file.setInputFiles(bundle([{ resource: { resourceType: 'Condition', code: { text: 'migraine' }, onsetDateTime: '2023-02-29' } }]));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const impErr = page.locator('#sec-files [data-field="file"] .field-error');
  await impErr.waitFor();
  assert.match(await impErr.innerText(), /nothing was imported.*onsetDateTime/s);
  await file.setInputFiles(bundle([{ resource: { resourceType: 'AllergyIntolerance', code: { text: 'latex' } } },
    { resource: { resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: { text: 'ibuprofen' } } }]));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Imported 1 medicine, 1 allergy.').waitFor();
  await page.locator('#sec-allergies li').filter({ hasText: 'latex' }).waitFor();
  await page.locator('article.med').filter({ hasText: 'ibuprofen' }).waitFor();

  // Edit a medicine, then stop one: it moves to the stopped list.
  const ibu = page.locator('article.med').filter({ hasText: 'ibuprofen' });
  await ibu.getByRole('button', { name: 'Edit: ibuprofen' }).click();
  await ibu.getByLabel('Dose').fill('-2');
  await ibu.getByRole('button', { name: 'Save changes' }).click();
  await ibu.locator('[data-field="dose_amount"] .field-error').waitFor();
  await ibu.getByLabel('Dose').fill('2');
  await ibu.getByText('Dates, prescriber, notes and stock').click();
  await ibu.getByLabel('Notes').fill('with food');
  await ibu.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('article.med').filter({ hasText: 'with food' }).waitFor();
  await tramadol.getByRole('button', { name: 'Stop: tramadol' }).click();
  await page.getByText('Stopped medicines (1)').waitFor();
  await checkPage(page);
  await shot(page, 'profile-phone');
  assert.deepEqual(errors, [], 'no script errors');

  // Sign out: the profile page asks to sign in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  await page.goto(profileUrl);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await ctx.close();
});

test('another user gets the not-found view for the first user\'s profile page', async () => {
  assert.ok(profileUrl, 'the first test made a profile');
  const ctx = await phone();
  const page = await ctx.newPage();
  await page.goto(srv.base + '/#/account');
  const reg = page.getByRole('form', { name: 'Create an account' });
  await reg.getByLabel('Username').fill('bob');
  await reg.getByLabel('Password').fill(PASSWORD);
  await reg.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My medicines' }).waitFor();
  await page.getByText('No one yet.').waitFor();
  await page.goto(profileUrl);
  await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /Ada|sertraline|tramadol/);
  await ctx.close();
});

test('profiles: rename and delete with confirmation, by keyboard', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(srv.base + '/#/me');
  const reg = page.getByRole('form', { name: 'Create an account' });
  await reg.getByLabel('Username').fill('carol');
  await reg.getByLabel('Password').fill(PASSWORD);
  await reg.getByRole('button', { name: 'Create account' }).click();
  const add = page.getByRole('form', { name: 'Add a person' });
  await add.getByLabel('Name').fill('Grandpa');
  await add.getByLabel('Relation').selectOption('parent');
  await add.getByLabel('Birth date').fill('1941-12-01');
  await add.getByLabel('Name').press('Enter');
  await page.getByRole('link', { name: 'Grandpa' }).waitFor();
  assert.match(await page.locator('.profiles li').first().innerText(), /Parent · born 1941-12-01/);
  await page.getByRole('button', { name: 'Rename Grandpa' }).press('Enter');
  await page.getByLabel('New name for Grandpa').fill('Grandad');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Grandad' }).waitFor();
  await page.getByRole('button', { name: 'Delete Grandad' }).press('Enter');
  await page.getByText('This cannot be undone.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), await page.locator('.confirm p').first().getAttribute('id'),
    'focus on the question');
  await page.getByRole('button', { name: 'Cancel' }).press('Enter');
  assert.equal(await page.getByRole('link', { name: 'Grandad' }).count(), 1, 'cancel keeps it');
  await page.getByRole('button', { name: 'Delete Grandad' }).press('Enter');
  await page.getByRole('button', { name: 'Yes, delete Grandad' }).press('Enter');
  await page.getByText('No one yet.').waitFor();
  // A drug box by keyboard: arrow down and Enter pick a suggestion without submitting the form.
  await add.getByLabel('Name').fill('Me');
  await add.getByRole('button', { name: 'Add person' }).click();
  await page.getByRole('link', { name: 'Me', exact: true }).click();
  const drug = page.getByRole('combobox', { name: 'Drug or product' });
  await drug.pressSequentially('ketam', { delay: 15 });
  await page.getByRole('option').first().waitFor();
  await drug.press('ArrowDown');
  await drug.press('Enter');
  assert.match(await drug.inputValue(), /ketam/i);
  assert.equal(await page.locator('article.med').count(), 0, 'not submitted');
  await drug.press('Enter');
  await page.locator('article.med').filter({ hasText: /ketamine/i }).waitFor();
  // Two products with the same ingredient: the duplication alert and the summed daily total.
  const form = page.getByRole('form', { name: 'Add a medicine' });
  await drug.fill('Tylenol');
  await form.getByLabel('Dose').fill('1000');
  await form.getByLabel('Unit').selectOption('mg');
  await form.getByLabel('Times a day', { exact: true }).fill('3');
  await form.getByRole('button', { name: 'Add medicine' }).click();
  await page.locator('#med-result').getByRole('heading', { name: /Tylenol/ }).waitFor();
  await drug.fill('acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet');
  await form.getByLabel('Dose').fill('2');
  await form.getByLabel('Times a day', { exact: true }).fill('4');
  await form.getByRole('button', { name: 'Add medicine' }).click();
  const result = page.locator('#med-result');
  await result.getByRole('table').waitFor();
  const text = await result.innerText();
  assert.match(text, /Same ingredient: acetaminophen|duplication/);
  assert.match(text, /acetaminophen\s+shared\s+5,600 mg/);
  await shot(page, 'profile-desktop');
  await ctx.close();
});
