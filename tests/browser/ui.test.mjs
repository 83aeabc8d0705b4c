// ui.test.mjs — the web UI in a real browser: Debian's chromium driven by
// playwright-core. Type a misspelled name, pick a suggestion, open the drug
// page, check three drugs and see a major interaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); await srv?.stop(); });

test('search with a typo, pick a suggestion, read the drug page', async () => {
  const page = await browser.newPage();
  await page.goto(srv.base + '/');
  await page.locator('#q').pressSequentially('sertaline', { delay: 20 });
  const option = page.getByRole('option').filter({ hasText: /sertraline/i }).first();
  await option.waitFor();
  await option.click();
  await page.getByRole('heading', { level: 1, name: /sertraline/i }).waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /Zoloft/i);
  assert.match(text, /RxNorm/);
  await page.close();
});

test('keyboard only: arrow down and enter pick a suggestion', async () => {
  const page = await browser.newPage();
  await page.goto(srv.base + '/');
  await page.locator('#q').pressSequentially('ketam', { delay: 20 });
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /ketamine/i }).waitFor();
  await page.close();
});

test('check three drugs and see a major interaction', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });   // phone width
  await page.goto(srv.base + '/#/check');
  for (const d of ['sertraline', 'methylene blue', 'ibuprofen']) {
    await page.getByLabel('Add a drug or substance').fill(d);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
  }
  await page.locator('.finding').first().waitFor();
  const text = await page.locator('#check-results').innerText();
  assert.match(text, /major|contraindicated/i);
  assert.match(text, /ANSM/);
  assert.match(text, /sertraline/i);
  await page.getByRole('table', { name: 'Interaction matrix' }).waitFor();
  // Remove a drug with the keyboard-reachable remove button.
  await page.getByRole('button', { name: 'Remove ibuprofen' }).click();
  await page.waitForFunction(() => !document.querySelector('.chips').innerText.includes('ibuprofen'));
  await page.close();
});

test('pill identifier: a typed imprint with a colour word finds the drug, with a drawing', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });   // phone width
  await page.goto(srv.base + '/#/pills');
  await page.getByLabel('Imprint').fill('s-900');
  await page.getByLabel('Colour').fill('off-white');
  await page.getByLabel('Shape').selectOption('oval');
  await page.getByLabel('Imprint').press('Enter');                                // keyboard submit
  const card = page.locator('.pill-card').first();
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /alprazolam/i);
  assert.match(text, /100%/);
  assert.match(text, /What matched: imprint exact; colour WHITE matches; shape OVAL matches/);
  assert.match(text, /DEA schedule CIV/);
  const ok = await card.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.ok(ok, 'the SVG drawing loads');
  await card.getByRole('link', { name: 'alprazolam' }).click();
  await page.getByRole('heading', { level: 1, name: /alprazolam/i }).waitFor();
  await page.close();
});

test('about the data lists every source with its licence', async () => {
  const page = await browser.newPage();
  await page.goto(srv.base + '/#/about');
  await page.getByRole('heading', { name: 'About the data' }).waitFor();
  const { sources } = await (await fetch(srv.base + '/api/v1/sources')).json();
  assert.ok(sources.length >= 24, `${sources.length} sources`);
  await page.locator('tbody tr').nth(sources.length - 1).waitFor();
  assert.equal(await page.locator('tbody tr').count(), sources.length);
  // each row: the source's name, edition, licence, record count and attribution, as the API gives them
  for (const [i, s] of sources.entries()) {
    assert.ok(s.licence && s.attribution, `${s.id} has a licence and an attribution`);
    const cells = await page.locator('tbody tr').nth(i).locator('td').allInnerTexts();
    assert.deepEqual(cells.map((c) => c.trim()),
      [s.name, s.edition, s.licence, String(s.records.facts), s.attribution].map((c) => c.trim()), s.id);
  }
  await page.close();
});

test('a drug page opens an EU leaflet section with its source', async () => {
  const page = await browser.newPage();
  await page.goto(srv.base + '/#/drug/Spravato');
  await page.getByRole('heading', { level: 1, name: /esketamine/i }).waitFor();
  await page.getByText(/EU package leaflet/).first().waitFor();
  await page.getByText('4. Possible side effects').click();
  const leaflet = page.locator('.leaflet').first();
  await leaflet.waitFor();
  assert.match(await leaflet.innerText(), /side effects/i);
  assert.equal(await page.locator('.leaflet script, .leaflet a, .leaflet img').count(), 0);
  assert.match(await page.locator('main').innerText(), /European Medicines Agency/);
  await page.close();
});
