// records-durability.test.mjs — no acknowledged write is lost when the
// server is killed. On each backend (SQLite always, PostgreSQL with
// MATERIA_TEST_PG), repeatedly: clients write records as fast as they can,
// the server gets SIGKILL at a random moment, a new server starts on the same
// database, and every write that was answered 201 must be there with its
// content. Repetitions are bounded by time (MATERIA_DURABILITY_SECONDS, 20 s
// per backend by default, at least 5 repetitions).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS, freshDb, startServer, client, account } from './records-lib.mjs';

const SECONDS = Number(process.env.MATERIA_DURABILITY_SECONDS || 20);
const MIN_REPS = 5;
const CLIENTS = 4;
// Each repetition writes into a new profile; an account may hold 50 profiles
// (docs/reference/records.md, limits), so a fresh account takes over every 40 repetitions.
const PROFILES_PER_ACCOUNT = 40;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const backend of BACKENDS) {
  describe(`durability on ${backend}`, () => {
    let db, srv, port, who;
    before(async () => {
      db = freshDb(backend);
      srv = await startServer(db.url);
      port = srv.port;
      who = await account(srv.base, 'writer');
    });
    after(async () => { await srv?.kill(); db?.drop(); });

    test('SIGKILL while clients write loses no acknowledged write', async () => {
      const deadline = Date.now() + SECONDS * 1000;
      const acked = [];      // { profile, kind, id, name }
      let reps = 0, attempted = 0;
      while (reps < MIN_REPS || Date.now() < deadline) {
        reps++;
        if (reps % PROFILES_PER_ACCOUNT === 0)
          who = await account(srv.base, `writer${reps}`);
        const token = who.token;
        const req = client(srv.base, { token });
        const prof = await req('POST', '/profiles', { name: `run ${reps}` });
        assert.equal(prof.status, 201, prof.text);
        const pid = prof.json.id;
        acked.push({ profile: pid, token, kind: 'profile', id: pid, name: `run ${reps}` });
        let stop = false;
        const writers = Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = 0; !stop && i < 100; i++) {
            const name = `r${reps}-c${c}-w${i}`;
            const medication = i % 10 === 9;
            attempted++;
            try {
              const r = medication
                ? await req('POST', `/profiles/${pid}/medications`, { drug: 'ibuprofen', notes: name, dose_amount: 1,
                  dose_unit: 'tablet', schedule: { type: 'times_per_day', times_per_day: 1 } })
                : await req('POST', `/profiles/${pid}/conditions`, { name });
              if (r.status === 201) {
                const id = medication ? r.json.record.id : r.json.id;
                acked.push({ profile: pid, token, kind: medication ? 'medication' : 'condition', id, name });
              }
            } catch { return; /* the connection died with the server: not acknowledged */ }
          }
        });
        await sleep(50 + Math.floor(Math.random() * 400));
        await srv.kill('SIGKILL');
        stop = true;
        await Promise.all(writers);
        srv = await startServer(db.url, { port });
      }
      // every acknowledged write is there, with its content, for its own account
      const byProfile = new Map();
      for (const w of acked) {
        if (!byProfile.has(w.profile)) byProfile.set(w.profile, []);
        byProfile.get(w.profile).push(w);
      }
      let checked = 0;
      for (const [pid, writes] of byProfile) {
        const req = client(srv.base, { token: writes[0].token });
        const [p, conds, meds] = await Promise.all([req('GET', `/profiles/${pid}`),
          req('GET', `/profiles/${pid}/conditions`), req('GET', `/profiles/${pid}/medications`)]);
        assert.equal(p.status, 200, `profile ${pid} is there`);
        const have = new Map();
        for (const c of conds.json.conditions) have.set('condition:' + c.id, c.name);
        for (const m of meds.json.medications) have.set('medication:' + m.id, m.notes);
        for (const w of writes) {
          if (w.kind === 'profile') { assert.equal(p.json.name, w.name); checked++; continue; }
          assert.equal(have.get(`${w.kind}:${w.id}`), w.name, `acknowledged ${w.kind} ${w.id} (${w.name}) survived`);
          checked++;
        }
      }
      assert.equal(checked, acked.length);
      assert.ok(reps >= MIN_REPS);
      assert.ok(acked.length > reps, 'writes were acknowledged between the kills');
      process.stderr.write(`# durability ${backend}: ${reps} kills, ${attempted} writes attempted, ` +
        `${acked.length} acknowledged, all present\n`);
    });
  });
}
