// records.test.mjs — the personal medication records API against the running
// binary, on SQLite and (with MATERIA_TEST_PG) PostgreSQL: the tramadol +
// sertraline alert, an authorization matrix over every endpoint (another
// user gets 404, anonymous gets 401), bad input refused naming the field with
// nothing stored, CSRF, rate limiting, exports and the all-or-nothing import,
// the calendar feed; and two servers over one PostgreSQL serving the same data.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS, PG, freshDb, startServer, client, account } from './records-lib.mjs';

function problem(r, status, field) {
  assert.equal(r.status, status, `status ${r.status} (expected ${status}): ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.status, status);
  assert.ok(r.json.type && r.json.title && r.json.detail);
  if (field) {
    assert.ok(Array.isArray(r.json.errors), 'an errors member');
    assert.ok(r.json.errors.some((e) => e.field === field && e.message),
      `errors name ${field}: ${JSON.stringify(r.json.errors)}`);
  }
  return r.json;
}

const med = (drug, extra = {}) => ({
  drug, dose_amount: 1, dose_unit: 'tablet', schedule: { type: 'times_per_day', times_per_day: 1 }, ...extra,
});

for (const backend of BACKENDS) {
  describe(`records on ${backend}`, () => {
    let db, srv, alice, bob, anon, P, Q, M, A, C, D;

    before(async () => {
      db = freshDb(backend);
      srv = await startServer(db.url);
      anon = client(srv.base);
      alice = await account(srv.base, 'alice');
      bob = await account(srv.base, 'bob');
      P = (await alice.req('POST', '/profiles', { name: 'Alice', relation: 'self' })).json.id;
      Q = (await bob.req('POST', '/profiles', { name: 'Bob' })).json.id;
      M = (await alice.req('POST', `/profiles/${P}/medications`,
        med('sertraline 50 mg tablet', { stock: 30, refill_threshold: 5 }))).json.record.id;
      A = (await alice.req('POST', `/profiles/${P}/allergies`, { substance: 'penicillin', severity: 'severe' })).json.id;
      C = (await alice.req('POST', `/profiles/${P}/conditions`, { name: 'asthma', onset_date: '2001-02-03' })).json.id;
      D = (await alice.req('POST', `/profiles/${P}/doses`, { medication_id: M })).json.id;
      assert.ok(P && Q && M && A && C && D, 'fixtures created');
    });
    after(async () => { await srv?.stop(); db?.drop(); });

    test('adding tramadol to a profile taking sertraline returns the serotonin-syndrome alert with the saved record', async () => {
      const r = await alice.req('POST', `/profiles/${P}/medications`, med('tramadol', { strength: '50 mg',
        schedule: { type: 'clock_times', times: ['20:00', '08:00'] } }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.record.drug_name, 'tramadol');
      assert.equal(r.json.record.rxcui, '10689');
      assert.deepEqual(r.json.record.schedule.times, ['08:00', '20:00']);
      const ix = r.json.alerts.find((a) => a.type === 'interaction' && a.with.id === M);
      assert.ok(ix, 'an interaction alert with sertraline: ' + JSON.stringify(r.json.alerts).slice(0, 500));
      assert.equal(ix.medication.id, r.json.record.id);
      assert.ok(ix.effects.some((e) => /serotonin syndrome/i.test(e)), 'the serotonin syndrome is named');
      assert.ok(ix.evidence.length > 0 && ix.evidence.every((e) => e.source && e.record));
      assert.ok(r.json.alerts.some((a) => a.type === 'class_effect' && a.effect === 'serotonergic'));
      const tram = r.json.daily_totals.find((t) => t.ingredient === 'tramadol');
      assert.equal(tram.mg_per_day, 100);
      // it was saved: the list has it
      const list = await alice.req('GET', `/profiles/${P}/medications`);
      assert.ok(list.json.medications.some((m) => m.id === r.json.record.id));
      // the profile-wide check sees it too
      const chk = await alice.req('GET', `/profiles/${P}/check`);
      assert.ok(chk.json.alerts.some((a) => a.type === 'interaction'));
    });

    test('a shared ingredient is flagged and its daily total summed', async () => {
      const p = (await alice.req('POST', '/profiles', { name: 'Shared', relation: 'parent' })).json.id;
      await alice.req('POST', `/profiles/${p}/medications`,
        med('acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet', { dose_amount: 2,
          schedule: { type: 'times_per_day', times_per_day: 4 } }));
      const r = await alice.req('POST', `/profiles/${p}/medications`, med('Tylenol', { dose_amount: 1000,
        dose_unit: 'mg', schedule: { type: 'times_per_day', times_per_day: 3 } }));
      assert.equal(r.status, 201, r.text);
      const apap = r.json.daily_totals.find((t) => t.ingredient === 'acetaminophen');
      assert.equal(apap.shared, true);
      assert.equal(apap.mg_per_day, 325 * 2 * 4 + 3000);
      assert.ok(r.json.alerts.some((a) => a.type === 'duplication' || (a.duplications || []).length > 0),
        'the duplication is an alert');
      const dups = r.json.alerts.flatMap((a) => a.duplications || []);
      assert.ok(dups.length > 0);
      for (const d of dups) {
        assert.equal(d.cites.length, 2, 'each side of a duplication names its source');
        for (const c of d.cites) assert.ok(c.source && c.record, JSON.stringify(c));
      }
    });

    test('authorization matrix: every endpoint, another user gets 404 and anonymous gets 401', async () => {
      const before = await alice.req('GET', `/profiles/${P}/export.fhir`);
      assert.equal(before.status, 200);
      const bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };
      const endpoints = [
        ['GET', `/profiles/${P}`], ['PATCH', `/profiles/${P}`, { name: 'x' }], ['DELETE', `/profiles/${P}`],
        ['POST', `/profiles/${P}/calendar-token`], ['DELETE', `/profiles/${P}/calendar-token`],
        ['GET', `/profiles/${P}/medications`], ['POST', `/profiles/${P}/medications`, med('ibuprofen')],
        ['GET', `/profiles/${P}/medications/${M}`], ['PATCH', `/profiles/${P}/medications/${M}`, { notes: 'x' }],
        ['DELETE', `/profiles/${P}/medications/${M}`],
        ['GET', `/profiles/${P}/allergies`], ['POST', `/profiles/${P}/allergies`, { substance: 'latex' }],
        ['GET', `/profiles/${P}/allergies/${A}`], ['PATCH', `/profiles/${P}/allergies/${A}`, { notes: 'x' }],
        ['DELETE', `/profiles/${P}/allergies/${A}`],
        ['GET', `/profiles/${P}/conditions`], ['POST', `/profiles/${P}/conditions`, { name: 'x' }],
        ['GET', `/profiles/${P}/conditions/${C}`], ['PATCH', `/profiles/${P}/conditions/${C}`, { notes: 'x' }],
        ['DELETE', `/profiles/${P}/conditions/${C}`],
        ['GET', `/profiles/${P}/doses`], ['POST', `/profiles/${P}/doses`, { medication_id: M }],
        ['DELETE', `/profiles/${P}/doses/${D}`],
        ['GET', `/profiles/${P}/reminders`], ['GET', `/profiles/${P}/check`],
        ['GET', `/profiles/${P}/export.fhir`], ['GET', `/profiles/${P}/export.csv`], ['GET', `/profiles/${P}/export.html`],
        ['POST', `/profiles/${P}/import.fhir`, bundle],
        ['DELETE', `/auth/tokens/${alice.tokenId}`],
        // Alice's records through Bob's own profile: still not found
        ['GET', `/profiles/${Q}/medications/${M}`], ['PATCH', `/profiles/${Q}/medications/${M}`, { notes: 'x' }],
        ['DELETE', `/profiles/${Q}/medications/${M}`], ['GET', `/profiles/${Q}/allergies/${A}`],
        ['DELETE', `/profiles/${Q}/conditions/${C}`], ['DELETE', `/profiles/${Q}/doses/${D}`],
      ];
      for (const [method, path, body] of endpoints) {
        for (const who of [bob.req, bob.creq]) {
          const r = await who(method, path, body);
          assert.ok(r.status === 404 || r.status === 403, `${method} ${path} as bob: ${r.status} ${r.text.slice(0, 200)}`);
        }
        problem(await anon(method, path, body), 401);
      }
      // a dose of Alice's medication logged in Bob's profile is refused, naming the field
      problem(await bob.req('POST', `/profiles/${Q}/doses`, { medication_id: M }), 422, 'medication_id');
      // routes without ids: only one's own
      const mine = await bob.req('GET', '/profiles');
      assert.deepEqual(mine.json.profiles.map((p) => p.id), [Q]);
      const toks = await bob.req('GET', '/auth/tokens');
      assert.ok(!toks.json.tokens.some((t) => t.id === alice.tokenId));
      const audit = await bob.req('GET', '/audit');
      assert.ok(!audit.json.audit.some((x) => x.entity === 'profile' && x.entity_id === P));
      for (const [method, path] of [['GET', '/profiles'], ['POST', '/profiles'], ['GET', '/audit'], ['GET', '/auth/me'],
        ['GET', '/auth/tokens'], ['POST', '/auth/tokens'], ['POST', '/auth/logout']]) {
        problem(await anon(method, path, method === 'POST' ? {} : undefined), 401);
      }
      // a bogus bearer token is 401, not someone's data
      problem(await client(srv.base, { token: 'x'.repeat(43) })('GET', `/profiles/${P}`), 401);
      // nothing of Alice's changed
      const after = await alice.req('GET', `/profiles/${P}/export.fhir`);
      assert.equal(after.status, 200);
      const strip = (b) => JSON.stringify({ ...JSON.parse(b), timestamp: null });
      assert.equal(strip(after.text), strip(before.text));
      assert.equal((await alice.req('GET', `/profiles/${P}/doses`)).json.doses.length, 1);
    });

    test('bad input is a 4xx problem naming the field, and nothing is stored', async () => {
      const count = async () => {
        const [m, a, c, d] = await Promise.all(['medications', 'allergies', 'conditions', 'doses']
          .map((k) => alice.req('GET', `/profiles/${P}/${k}`)));
        return [m.json.medications.length, a.json.allergies.length, c.json.conditions.length, d.json.doses.length];
      };
      const n0 = await count();
      const audit0 = (await alice.req('GET', '/audit?limit=1')).json.audit[0].id;
      const bad = async (r, status, field) => { problem(r, status, field); };
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('sertralinx')), 422, 'drug');
      const unk = await alice.req('POST', `/profiles/${P}/medications`, med('sertralinx'));
      assert.match(unk.json.errors[0].message, /sertraline/, 'did you mean');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { start_date: '2024-02-30' })),
        422, 'start_date');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { dose_amount: -1 })),
        422, 'dose_amount');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { dose_amount: '2' })),
        422, 'dose_amount');
      await bad(await alice.req('POST', `/profiles/${P}/medications`,
        med('ibuprofen', { schedule: { type: 'clock_times', times: ['08:00', '25:00'] } })), 422, 'schedule.times[1]');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { dose_unit: 'handful' })),
        422, 'dose_unit');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { colour: 'red' })),
        422, 'colour');
      await bad(await alice.req('POST', `/profiles/${P}/medications`,
        med('ibuprofen', { start_date: '2024-05-02', stop_date: '2024-05-01' })), 422, 'stop_date');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, '{"drug": "ibuprofen",'), 400, 'body');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, '[]'), 400, 'body');
      problem(await alice.req('POST', `/profiles/${P}/medications`, JSON.stringify(med('ibuprofen')),
        { 'Content-Type': 'text/plain' }), 415);
      problem(await alice.req('POST', `/profiles/${P}/medications`,
        JSON.stringify(med('ibuprofen', { notes: 'x'.repeat(70 * 1024) }))), 413, 'body');
      await bad(await alice.req('POST', `/profiles/${P}/medications`, med('ibuprofen', { notes: 'x'.repeat(2001) })),
        422, 'notes');
      await bad(await alice.req('PATCH', `/profiles/${P}/medications/${M}`, { drug: 'aspirin' }), 422, 'drug');
      await bad(await alice.req('PATCH', `/profiles/${P}/medications/${M}`, { stock: -5 }), 422, 'stock');
      await bad(await alice.req('POST', `/profiles/${P}/allergies`, { substance: '', severity: 'deadly' }), 422, 'severity');
      await bad(await alice.req('POST', `/profiles/${P}/conditions`, { name: 'x', onset_date: '31/12/2020' }), 422,
        'onset_date');
      await bad(await alice.req('POST', `/profiles/${P}/doses`, { medication_id: M, at: '2024-05-01 08:00' }), 422, 'at');
      await bad(await alice.req('POST', `/profiles/${P}/doses`, { medication_id: 999999 }), 422, 'medication_id');
      await bad(await alice.req('PATCH', `/profiles/${P}`, { birth_date: '1990-13-01' }), 422, 'birth_date');
      await bad(await alice.req('GET', `/profiles/${P}/reminders?hours=0`), 422, 'hours');
      await bad(await anon('POST', '/auth/register', { username: 'x', password: 'short' }), 422, 'password');
      await bad(await anon('POST', '/auth/register', { username: 'alice', password: 'a long enough password' }), 409,
        'username');
      // an import with one bad resource stores none of the good ones
      const good = { resource: { resourceType: 'MedicationStatement', status: 'active',
        medicationCodeableConcept: { text: 'ibuprofen' } } };
      const imp = await alice.req('POST', `/profiles/${P}/import.fhir`, { resourceType: 'Bundle', type: 'collection',
        entry: [good, { resource: { resourceType: 'Condition', code: { text: 'x' }, onsetDateTime: '2023-02-29' } }] });
      problem(imp, 422, 'entry[1].resource.onsetDateTime');
      problem(await alice.req('POST', `/profiles/${P}/import.fhir`, { resourceType: 'Bundle', type: 'collection',
        entry: [good, { resource: { resourceType: 'MedicationStatement', status: 'active',
          medicationCodeableConcept: { text: 'sertralinx' } } }] }), 422, 'entry[1].resource.medicationCodeableConcept');
      assert.deepEqual(await count(), n0, 'nothing stored');
      const audit1 = (await alice.req('GET', '/audit?limit=1')).json.audit[0].id;
      assert.equal(audit1, audit0, 'no change was audited');
      problem(await alice.req('GET', `/profiles/${P}/nothing`), 404);
      problem(await alice.req('PUT', `/profiles/${P}`, { name: 'x' }), 405);
    });

    test('cookie sessions need the CSRF token for writes; bearer tokens do not; logout ends the session', async () => {
      const carol = await account(srv.base, 'carol');
      const noCsrf = client(srv.base, { cookie: carol.cookie });
      problem(await noCsrf('POST', '/profiles', { name: 'x' }), 403);
      problem(await carol.creq('POST', '/profiles', { name: 'x' }, { 'X-CSRF-Token': alice.csrf }), 403);
      assert.equal((await noCsrf('GET', '/profiles')).status, 200, 'reads need no CSRF token');
      assert.equal((await carol.creq('POST', '/profiles', { name: 'Carol' })).status, 201);
      assert.equal((await carol.req('POST', '/profiles', { name: 'Carol 2' })).status, 201);
      const me = await carol.creq('GET', '/auth/me');
      assert.equal(me.json.user.username, 'carol');
      assert.equal(me.json.auth, 'cookie');
      const out = await carol.creq('POST', '/auth/logout');
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
      problem(await carol.creq('GET', '/profiles'), 401);
      assert.equal((await carol.req('GET', '/profiles')).status, 200, 'the API token still works');
      const del = await carol.req('DELETE', `/auth/tokens/${carol.tokenId}`);
      assert.equal(del.status, 204);
      problem(await carol.req('GET', '/profiles'), 401);
    });

    test('login: cookie flags, one answer for wrong password and unknown user, rate limited with Retry-After', async () => {
      const login = await anon('POST', '/auth/login', { username: 'alice', password: 'a long enough password' });
      const sc = login.headers.get('set-cookie');
      assert.match(sc, /HttpOnly/);
      assert.match(sc, /SameSite=Strict/);
      assert.match(sc, /Path=\//);
      assert.ok(!/csrf/i.test(sc) && !JSON.stringify(login.json).includes(sc.split(';')[0].split('=')[1]),
        'the session token is only in the cookie');
      await account(srv.base, 'dave');
      const wrong = await anon('POST', '/auth/login', { username: 'dave', password: 'not the password' });
      const nobody = await anon('POST', '/auth/login', { username: 'nobody-here', password: 'not the password' });
      problem(wrong, 401);
      problem(nobody, 401);
      assert.equal(wrong.json.detail, nobody.json.detail);
      for (let i = 1; i < 5; i++) problem(await anon('POST', '/auth/login', { username: 'dave', password: 'nope nope' }), 401);
      const limited = await anon('POST', '/auth/login', { username: 'dave', password: 'a long enough password' });
      problem(limited, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    });

    test('reminders, refills and the calendar feed at a secret URL', async () => {
      const p = (await alice.req('POST', '/profiles', { name: 'Reminders' })).json.id;
      const m = (await alice.req('POST', `/profiles/${p}/medications`, med('ibuprofen 200 MG Oral Tablet',
        { schedule: { type: 'clock_times', times: ['08:00', '20:00'] }, stock: 3, refill_threshold: 2 }))).json.record;
      assert.equal((await alice.req('POST', `/profiles/${p}/doses`, { medication_id: m.id })).status, 201);
      const after = await alice.req('GET', `/profiles/${p}/medications/${m.id}`);
      assert.equal(after.json.stock, 2);
      assert.equal(after.json.refill_due, true);
      const rem = await alice.req('GET', `/profiles/${p}/reminders?hours=48&from=2030-01-01T07:00:00Z`);
      assert.equal(rem.json.timezone, 'UTC');
      assert.deepEqual(rem.json.reminders.map((r) => r.at),
        ['2030-01-01T08:00:00Z', '2030-01-01T20:00:00Z', '2030-01-02T08:00:00Z', '2030-01-02T20:00:00Z']);
      assert.equal(rem.json.refills[0].medication_id, m.id);
      const tok = await alice.req('POST', `/profiles/${p}/calendar-token`);
      assert.equal(tok.status, 201);
      const ics = await fetch(srv.base + tok.json.url);
      assert.equal(ics.status, 200);
      assert.match(ics.headers.get('content-type'), /^text\/calendar/);
      const body = await ics.text();
      assert.match(body, /^BEGIN:VCALENDAR\r\n/);
      assert.match(body, /RRULE:FREQ=DAILY\r\n/);
      assert.match(body, /SUMMARY:Take ibuprofen/);
      assert.equal((await fetch(srv.base + '/api/v1/calendar.ics?token=' + 'A'.repeat(43))).status, 404);
      assert.equal((await alice.req('DELETE', `/profiles/${p}/calendar-token`)).status, 204);
      assert.equal((await fetch(srv.base + tok.json.url)).status, 404, 'a revoked token is dead');
    });

    test('exports (FHIR, CSV, HTML) and the FHIR import round trip', async () => {
      const fhir = await alice.req('GET', `/profiles/${P}/export.fhir`);
      assert.equal(fhir.status, 200);
      assert.match(fhir.headers.get('content-type'), /^application\/fhir\+json/);
      assert.equal(fhir.json.resourceType, 'Bundle');
      assert.equal(fhir.json.type, 'collection');
      const kinds = fhir.json.entry.map((e) => e.resource.resourceType);
      for (const k of ['Patient', 'MedicationStatement', 'AllergyIntolerance', 'Condition']) assert.ok(kinds.includes(k), k);
      const ms = fhir.json.entry.find((e) => e.resource.resourceType === 'MedicationStatement').resource;
      assert.deepEqual(ms.medicationCodeableConcept.coding[0],
        { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '36437', display: 'sertraline' });
      const csv = await alice.req('GET', `/profiles/${P}/export.csv`);
      assert.match(csv.headers.get('content-type'), /^text\/csv/);
      assert.match(csv.text, /^id,drug,drug_name,rxcui,/);
      assert.match(csv.text, /"sertraline 50 mg tablet","sertraline","36437"/);
      const html = await alice.req('GET', `/profiles/${P}/export.html`);
      assert.match(html.headers.get('content-type'), /^text\/html/);
      assert.match(html.text, /Medication list: Alice/);
      // import the bundle into a new profile: the same medications come back
      const np = (await alice.req('POST', '/profiles', { name: 'Copy' })).json.id;
      const imp = await alice.req('POST', `/profiles/${np}/import.fhir`, fhir.text,
        { 'Content-Type': 'application/fhir+json' });
      assert.equal(imp.status, 201, imp.text);
      const src = (await alice.req('GET', `/profiles/${P}/medications`)).json.medications;
      const dst = (await alice.req('GET', `/profiles/${np}/medications`)).json.medications;
      const shape = (m) => [m.drug, m.drug_name, m.rxcui, m.dose_amount, m.dose_unit, m.schedule, m.status, m.stock];
      assert.deepEqual(dst.map(shape), src.map(shape));
      assert.equal(imp.json.imported.allergies, 1);
      assert.equal(imp.json.imported.conditions, 1);
      const log = (await alice.req('GET', '/audit?limit=5')).json.audit;
      assert.ok(log.some((x) => x.action === 'import' && x.entity_id === np));
    });
  });
}

describe('two servers over one PostgreSQL serve the same data', { skip: !PG && 'MATERIA_TEST_PG not set' }, () => {
  let db, a, b;
  before(async () => {
    db = freshDb('postgresql');
    [a, b] = await Promise.all([startServer(db.url), startServer(db.url)]);
  });
  after(async () => { await a?.stop(); await b?.stop(); db?.drop(); });

  test('an account, a session and records made on one server are seen on the other', async () => {
    const erin = await account(a.base, 'erin');
    const onB = client(b.base, { token: erin.token });
    const p = await onB('POST', '/profiles', { name: 'Erin' });
    assert.equal(p.status, 201);
    const m = await onB('POST', `/profiles/${p.json.id}/medications`, med('sertraline'));
    assert.equal(m.status, 201);
    const cookieOnB = client(b.base, { cookie: erin.cookie, csrf: erin.csrf });
    assert.equal((await cookieOnB('GET', '/auth/me')).json.user.username, 'erin');
    const t = await erin.req('POST', `/profiles/${p.json.id}/medications`, med('tramadol'));
    assert.ok(t.json.alerts.some((x) => x.type === 'interaction' && x.with.id === m.json.record.id));
    const fromB = await onB('GET', `/profiles/${p.json.id}/medications`);
    assert.equal(fromB.json.medications.length, 2);
    // failed logins on one server count on the other
    for (let i = 0; i < 3; i++) await client(a.base)('POST', '/auth/login', { username: 'erin', password: 'wrong wrong' });
    for (let i = 0; i < 2; i++) await client(b.base)('POST', '/auth/login', { username: 'erin', password: 'wrong wrong' });
    problem(await client(a.base)('POST', '/auth/login', { username: 'erin', password: 'a long enough password' }), 429);
  });
});
