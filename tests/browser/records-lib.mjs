// records-lib.mjs — helpers of the records API tests (records.test.mjs,
// records-durability.test.mjs): a `materia serve` on a records database of
// its own (a fresh SQLite file, or a fresh schema of the PostgreSQL database
// in MATERIA_TEST_PG), accounts, and requests with a session cookie or a
// bearer token.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.MATERIA_BIN || resolve(root, 'build/materia');
export const KB = process.env.MATERIA_TEST_KB || resolve(root, 'build/materia.kb');
export const PG = process.env.MATERIA_TEST_PG || '';

// The backends every records test runs on: SQLite always, PostgreSQL when configured.
export const BACKENDS = PG ? ['sqlite', 'postgresql'] : ['sqlite'];

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
    s.on('error', fail);
  });
}

let schemaCounter = 0;
const PSQL_ENV = { ...process.env, PGOPTIONS: '-c client_min_messages=warning' };

// A fresh, empty records database: { url, drop() }.
export function freshDb(backend) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'materia-records-'));
    return { url: join(dir, 'records.db'), drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `rt_node_${process.pid}_${++schemaCounter}`;
  execFileSync('psql', [PG, '-q', '-v', 'ON_ERROR_STOP=1', '-c',
    `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`], { stdio: ['ignore', 'ignore', 'inherit'], env: PSQL_ENV });
  const url = `${PG}${PG.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
  return {
    url,
    drop: () => execFileSync('psql', [PG, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`],
      { stdio: ['ignore', 'ignore', 'ignore'], env: PSQL_ENV }),
  };
}

// Starts `materia serve` on db; resolves once /api/v1/health answers.
export async function startServer(db, { port, env = {} } = {}) {
  port = port || await freePort();
  const child = spawn(BIN, ['serve', '--kb', KB, '--port', String(port), '--bind', '127.0.0.1', '--db', db],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || child.signalCode) throw new Error('materia serve exited: ' + log);
    try { const r = await fetch(base + '/api/v1/health'); if (r.ok) break; } catch { /* not yet */ }
    if (i > 400) throw new Error('materia serve did not start: ' + log);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise((ok) => child.on('exit', ok));
  return {
    base, port, child, log: () => log,
    kill: async (sig = 'SIGKILL') => { if (child.exitCode === null && !child.signalCode) child.kill(sig); await exited; },
    stop: async () => { if (child.exitCode === null && !child.signalCode) child.kill('SIGTERM'); await exited; },
  };
}

// A client of one server: plain requests, or as a user by bearer token or cookie.
export function client(base, auth = {}) {
  return async function req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (auth.token) h.Authorization = 'Bearer ' + auth.token;
    if (auth.cookie) {
      h.Cookie = auth.cookie;
      if (auth.csrf && !('X-CSRF-Token' in headers)) h['X-CSRF-Token'] = auth.csrf;
    }
    let payload = body;
    if (body !== undefined && typeof body !== 'string') payload = JSON.stringify(body);
    if (payload !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
    const r = await fetch(base + '/api/v1' + path, { method, headers: h, body: payload });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json };
  };
}

// Registers and logs in: { user, cookie, csrf, token, req (bearer), creq (cookie + CSRF) }.
export async function account(base, username, password = 'a long enough password') {
  const anon = client(base);
  const reg = await anon('POST', '/auth/register', { username, password });
  if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${reg.text}`);
  const login = await anon('POST', '/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const creq = client(base, { cookie, csrf: login.json.csrf_token });
  const tok = await creq('POST', '/auth/tokens', { label: 'tests' });
  if (tok.status !== 201) throw new Error(`token ${username}: ${tok.status} ${tok.text}`);
  return {
    user: login.json.user, cookie, csrf: login.json.csrf_token, token: tok.json.token, tokenId: tok.json.id,
    req: client(base, { token: tok.json.token }), creq,
  };
}
