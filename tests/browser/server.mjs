// server.mjs — starts a real `materia serve` on a free loopback port for the
// API and browser tests, and stops it afterwards.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
    s.on('error', fail);
  });
}

export async function startServer() {
  const bin = process.env.MATERIA_BIN || resolve(root, 'build/materia');
  const kb = process.env.MATERIA_TEST_KB || resolve(root, 'build/materia.kb');
  const port = await freePort();
  // A throwaway records database, so tests never share or leave one behind.
  const dir = mkdtempSync(resolve(tmpdir(), 'materia-test-'));
  const child = spawn(bin, ['serve', '--kb', kb, '--port', String(port), '--bind', '127.0.0.1',
    '--db', resolve(dir, 'records.db')],
    { stdio: ['ignore', 'inherit', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('materia serve exited: ' + log);
    try { const r = await fetch(base + '/api/v1/health'); if (r.ok) break; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    child,
    log: () => log,
    stop: () => new Promise((ok) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); ok(); };
      if (child.exitCode !== null) return done();
      child.on('exit', done);
      child.kill('SIGTERM');
    }),
  };
}
