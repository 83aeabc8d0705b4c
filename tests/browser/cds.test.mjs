// cds.test.mjs — the CDS Hooks 2.0 service against the running binary and the
// real knowledge base: discovery, order-sign and order-select requests with
// real RxCUIs, cards citing their sources, "not checked" and "not covered"
// cards, and malformed requests answered with 4xx problems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const SIGN = '/cds-services/materia-drug-interactions';
const SELECT = '/cds-services/materia-drug-interactions-select';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const rx = (code, display) => ({ coding: [{ system: RXNORM, code, ...(display ? { display } : {}) }] });
const text = (t) => ({ text: t });
const medReq = (id, concept, status) =>
  ({ resource: { resourceType: 'MedicationRequest', id, status: status || 'active', intent: 'order', medicationCodeableConcept: concept } });

// An order-sign request: draft orders and current medications as CodeableConcepts.
function signRequest(drafts, current) {
  return {
    hook: 'order-sign',
    hookInstance: crypto.randomUUID(),
    context: {
      userId: 'Practitioner/example',
      patientId: '1288992',
      draftOrders: { resourceType: 'Bundle', type: 'collection',
        entry: drafts.map((c, i) => medReq('draft-' + i, c, 'draft')) },
    },
    prefetch: {
      medications: current === null ? null
        : { resourceType: 'Bundle', type: 'searchset', entry: current.map((c, i) => medReq('active-' + i, c)) },
    },
  };
}

const post = (path, body, type = 'application/json') =>
  fetch(srv.base + path, { method: 'POST', headers: { 'Content-Type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body) });

async function cards(path, body) {
  const r = await post(path, body);
  assert.equal(r.status, 200, await r.clone().text());
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const j = await r.json();
  assert.ok(Array.isArray(j.cards));
  assert.ok(!('systemActions' in j), 'an empty optional array is omitted (CDS Hooks: no empty elements)');
  for (const c of j.cards) {
    assert.match(c.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(c.summary.length > 0 && c.summary.length < 140, c.summary);
    assert.ok(['info', 'warning', 'critical'].includes(c.indicator));
    assert.match(c.source.label, /^Materia/);
    assert.equal(c.source.topic.system, 'urn:materia:cds-card');
  }
  const disclaimers = j.cards.filter((c) => /does not replace a clinician or pharmacist/.test(c.detail)).length;
  assert.equal(disclaimers, j.cards.length ? 1 : 0, 'the disclaimer is said once');
  return j.cards;
}

async function problem(res, status) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  const j = await res.json();
  assert.equal(j.status, status);
  assert.ok(j.type && j.title && j.detail);
  return j;
}

const byTopic = (cs, code) => cs.filter((c) => c.source.topic.code === code);

test('discovery lists one service per hook with the medications prefetch', async () => {
  const r = await fetch(srv.base + '/cds-services');
  assert.equal(r.status, 200);
  const d = await r.json();
  assert.deepEqual(d.services.map((s) => [s.id, s.hook]),
    [['materia-drug-interactions', 'order-sign'], ['materia-drug-interactions-select', 'order-select']]);
  for (const s of d.services) {
    assert.ok(s.title && s.description);
    assert.equal(s.prefetch.medications, 'MedicationRequest?patient={{context.patientId}}&status=active');
    assert.match(s.prefetch.statements, /^MedicationStatement\?patient=\{\{context\.patientId\}\}/);
  }
});

test('order-sign: warfarin (RxNorm 11289) against current aspirin and ibuprofen', async () => {
  const cs = await cards(SIGN, signRequest([rx('11289', 'warfarin')], [rx('1191', 'aspirin'), rx('5640')]));
  const ix = byTopic(cs, 'interaction');
  assert.equal(ix.length, 2, JSON.stringify(cs.map((c) => c.summary)));
  const aspirin = ix.find((c) => /aspirin/.test(c.summary));
  assert.equal(aspirin.summary, 'Contraindicated combination: warfarin + aspirin');
  assert.equal(aspirin.indicator, 'critical');
  const ibu = ix.find((c) => /ibuprofen/.test(c.summary));
  assert.equal(ibu.summary, 'Major interaction: warfarin + ibuprofen');
  assert.equal(ibu.indicator, 'critical');
  // each source's own rating, name, edition and record
  assert.match(ibu.detail, /\*\*ANSM Thesaurus des interactions médicamenteuses \(JSON\)\*\* \(2020-10-20[^)]*\)+: "Association DECONSEILLEE" = major/);
  assert.match(ibu.detail, /Record: ansm: thesaurus 2020-10-20: ANTICOAGULANTS ORAUX \+ ANTI-INFLAMMATOIRES NON STÉROÏDIENS/);
  assert.match(ibu.detail, /"Interaction reported \(severity not graded\)" = unknown\. .*Record: va56: file 56 IEN 136: IBUPROFEN\/WARFARIN/);
  assert.match(ibu.detail, /draft order \*warfarin\* \(MedicationRequest\/draft-0\): warfarin, matched by RXCUI 11289/);
  assert.match(ibu.source.label, /^Materia: ansm, .*va56/);
  assert.match(ibu.source.url, /^https:\/\//);
  // aspirin + ibuprofen are both current medications: not this order's business
  assert.ok(!cs.some((c) => /aspirin/.test(c.summary) && /ibuprofen/.test(c.summary)));
});

test('sertraline + tramadol: a harm-reduction rating raises the card to warning, kept apart from the clinical one', async () => {
  const cs = await cards(SIGN, signRequest([rx('36437')], [rx('10689')]));
  const [c] = byTopic(cs, 'interaction');
  assert.equal(c.summary, 'Minor interaction: sertraline + tramadol (harm-reduction source: major)');
  assert.equal(c.indicator, 'warning');
  assert.match(c.detail, /"A prendre en compte" = minor/);
  assert.match(c.detail, /\*\*TripSit drug combination chart\*\*[^\n]*"Dangerous" = major \(a harm-reduction rating, not a clinical one\)/);
  assert.match(c.detail, /A harm-reduction source \(not a clinical grading\) rates it \*\*major\*\*/);
  assert.match(c.source.label, /tripsit/);
});

test('a drug that cannot be identified is reported as not checked', async () => {
  const cs = await cards(SIGN, signRequest([rx('11289')], [text('Zzqqxx forte 10 mg')]));
  const [c] = byTopic(cs, 'not-checked');
  assert.equal(c.indicator, 'info');
  assert.equal(c.summary, 'Not checked: Zzqqxx forte 10 mg could not be identified');
  assert.match(c.detail, /no interaction was checked for them\. This is not "no interaction"/);
  assert.match(c.detail, /current medication \*Zzqqxx forte 10 mg\* \(MedicationRequest\/active-0\): tried text "Zzqqxx forte 10 mg"/);
  assert.equal(byTopic(cs, 'interaction').length, 0);
});

test('an unknown RxNorm code falls back to the name, and says so', async () => {
  const cs = await cards(SIGN, signRequest([{ ...rx('99999999'), text: 'warfarin' }], [rx('5640')]));
  const [c] = byTopic(cs, 'interaction');
  assert.match(c.detail, /matched by name "warfarin"; not found first: RxNorm 99999999/);
});

test('a pair no bundled source covers is reported, and "nothing found" gives no card', async () => {
  const cs = await cards(SIGN, signRequest([rx('11289')], [text('lactulose')]));
  assert.equal(cs.length, 1);
  assert.equal(cs[0].source.topic.code, 'not-covered');
  assert.equal(cs[0].summary, 'No interaction data for lactulose: no bundled source covers it');
  assert.match(cs[0].detail, /cannot say whether they interact\. This is not "no interaction"/);
  // warfarin + simethicone: VA file 56 covers both and has no such pair: checked, nothing found
  assert.deepEqual(await cards(SIGN, signRequest([rx('11289')], [text('simethicone')])), []);
  // no current medications (prefetch null) and one draft: nothing to pair
  assert.deepEqual(await cards(SIGN, signRequest([rx('11289')], null)), []);
});

test('order-select: only pairs with the selected order', async () => {
  const body = {
    hook: 'order-select', hookInstance: crypto.randomUUID(),
    context: {
      userId: 'PractitionerRole/123', patientId: '1288992', selections: ['MedicationRequest/new'],
      draftOrders: { resourceType: 'Bundle', entry: [
        medReq('new', rx('10689'), 'draft'),       // tramadol, just selected
        medReq('earlier', rx('11289'), 'draft'),   // warfarin, selected earlier in the session
        { resource: { resourceType: 'ServiceRequest', id: 'lab', status: 'draft' } },
      ] },
    },
    prefetch: { medications: { resourceType: 'Bundle', entry: [medReq('a', rx('36437')), medReq('b', rx('5640'))] } },
  };
  const cs = await cards(SELECT, body);
  const ix = byTopic(cs, 'interaction');
  assert.ok(ix.some((c) => c.summary.includes('tramadol + sertraline')));
  assert.ok(ix.every((c) => /tramadol/.test(c.summary)), 'warfarin + ibuprofen concerns no selected order');
  assert.match(ix[0].detail, /selected order/);
  // a selection that names nothing in draftOrders is an error, not silence
  body.context.selections = ['MedicationRequest/nope'];
  const p = await problem(await post(SELECT, body), 400);
  assert.match(p.detail, /context\.selections\[0\]/);
  // the order-sign request at the order-select service: wrong hook
  await problem(await post(SELECT, signRequest([rx('11289')], [])), 400);
});

test('malformed requests get 4xx problems and the server keeps serving', async () => {
  let p = await problem(await post(SIGN, '{"hook": "order-sign", '), 400);
  assert.match(p.detail, /invalid JSON/);
  p = await problem(await post(SIGN, '[]'), 400);
  const bad = signRequest([rx('11289')], []);
  bad.context.draftOrders.entry[0].resource.medicationCodeableConcept.coding[0].code = 11289;
  p = await problem(await post(SIGN, bad), 400);
  assert.equal(p.detail, 'context.draftOrders.entry[0].resource.medicationCodeableConcept.coding[0].code: must be a string');
  const noCtx = signRequest([], []);
  delete noCtx.context;
  assert.match((await problem(await post(SIGN, noCtx), 400)).detail, /^context: is required/);
  const wrongTypes = signRequest([], []);
  wrongTypes.context.draftOrders = 'none';
  await problem(await post(SIGN, wrongTypes), 400);
  const noPrefetch = signRequest([rx('11289')], []);
  delete noPrefetch.prefetch;
  p = await problem(await post(SIGN, noPrefetch), 412);
  assert.match(p.detail, /prefetch\.medications/);
  await problem(await post(SIGN, signRequest([], []), 'text/plain'), 415);
  await problem(await fetch(srv.base + '/cds-services/nope', { method: 'POST' }), 404);
  const r405 = await fetch(srv.base + SIGN);
  await problem(r405, 405);
  assert.equal(r405.headers.get('allow'), 'POST');
  await problem(await post('/cds-services', '{}'), 405);
  // 201 medications: over the checker's limit
  const many = signRequest([rx('11289')], Array.from({ length: 200 }, (_, i) => text('drug' + i)));
  await problem(await post(SIGN, many), 413);
  // a request larger than the API's 64 KiB is fine here (prefetch is FHIR), up to 1 MiB
  const big = signRequest([rx('11289')], [rx('5640')]);
  big.prefetch.medications.entry[0].resource.note = [{ text: 'x'.repeat(200 * 1024) }];
  assert.equal((await post(SIGN, big)).status, 200);
  big.prefetch.medications.entry[0].resource.note = [{ text: 'x'.repeat(1100 * 1024) }];
  await problem(await post(SIGN, big), 413);
  assert.equal((await fetch(srv.base + '/api/v1/health')).status, 200, 'still serving');
});
