/**
 * `pnpm bench startup`: how long `node server/dist/main.js` takes from spawn to its first `200`
 * from /health, on the three ways it starts: embedded on a fresh DATA_DIR (a first `pnpm start`),
 * embedded on an existing one (every later start), and Postgres + Redis (an existing, migrated
 * database). Runs are interleaved (fresh, existing, postgres, fresh, …) so a busy moment of this
 * shared machine hits every mode alike; each line prints the median, min and max wall time and
 * the process's CPU time (user + system, every thread) at that moment, which load disturbs less.
 * STARTUP_RUNS sets the runs per mode (default 5).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../server/src/adapters/db/migrate.ts';
import { ensureServerBuilt, BUILT_MAIN } from '../server/test/support/built-server.ts';
import { REDIS_URL } from '../server/test/support/test-server.ts';
import { cpuMs } from './load/processes.ts';

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns the built server, waits for /health to answer 200, stops it (SIGTERM, clean close). */
async function startOnce(env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering:\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`no healthy answer in 120 s:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return { wallMs: performance.now() - started, cpuMs: await cpuMs(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function runStartupBench(): Promise<void> {
  await ensureServerBuilt();
  const runs = Number(process.env.STARTUP_RUNS ?? 5);
  const scratch = await mkdtemp(path.join(tmpdir(), 'startup-bench-'));
  const existingDir = path.join(scratch, 'existing');
  const database = await createTestDatabase();
  const common = { SECRET_KEY: 'startup-bench-secret-key-0123456789abcdef', KNOWLEDGE_DEMO_ARTICLES: 'true' };
  const modes: Array<{ label: string; env: (run: number) => Record<string, string> }> = [
    { label: 'embedded, fresh DATA_DIR', env: (run) => ({ ...common, DATA_DIR: path.join(scratch, `fresh-${run}`) }) },
    { label: 'embedded, existing DATA_DIR', env: () => ({ ...common, DATA_DIR: existingDir }) },
    { label: 'postgres + redis', env: (run) => ({ ...common, DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: `startup-bench-${process.pid}-${run}` }) },
  ];
  const samples = modes.map(() => [] as Sample[]);
  try {
    // Not counted: makes the existing DATA_DIR and migrates the Postgres database.
    await startOnce(modes[1]!.env(0));
    await startOnce(modes[2]!.env(0));
    for (let run = 1; run <= runs; run++) {
      for (const [i, mode] of modes.entries()) samples[i]!.push(await startOnce(mode.env(run)));
    }
  } finally {
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`start-up of node server/dist/main.js to its first 200 from /health, ${runs} runs each (load average now ${loadavg()[0]!.toFixed(1)} on this machine)`);
  for (const [i, mode] of modes.entries()) {
    const wall = samples[i]!.map((x) => x.wallMs);
    const cpu = samples[i]!.map((x) => x.cpuMs);
    console.log(`  ${mode.label.padEnd(28)} median ${s(median(wall))} (min ${s(Math.min(...wall))}, max ${s(Math.max(...wall))}); CPU median ${s(median(cpu))}`);
  }
}
