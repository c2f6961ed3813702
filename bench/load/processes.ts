/**
 * The servers the load bench measures, as child processes, and what is read from outside them:
 * CPU time from /proc/<pid>/stat, and the heap after a full GC over the inspector protocol
 * (every child runs with `--inspect=127.0.0.1:0`, which costs nothing until a client attaches).
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_DEFAULTS, spawnServer, type ServerProcess } from '../../server/test/support/server-process.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const INSPECT = '--inspect=127.0.0.1:0';

/** A measured server: the product (spawnServer) or a floor script under plain node. */
export interface Measured {
  label: string;
  url: string;
  pid: number;
  /** The child's inspector (read at start: the output keeps only its last lines). */
  inspectorUrl: string | null;
  output(): string;
  stop(): Promise<void>;
}

const floors = new Set<Measured>();
process.once('exit', () => {
  for (const floor of floors) {
    try {
      process.kill(floor.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts bench/load/<script> under plain node and waits for its `FLOOR_READY <url>` line. */
export async function spawnFloor(label: string, script: string, databaseUrl: string, timeoutMs = 30_000): Promise<Measured> {
  const child = spawn(process.execPath, [INSPECT, path.join(HERE, script)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    child.stdout.on('data', () => {
      const match = lines.map((l) => /FLOOR_READY (\S+)/.exec(l)).find(Boolean);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before listening:\n${lines.join('\n')}`));
    });
  });
  const measured: Measured = {
    label,
    url,
    pid: child.pid!,
    inspectorUrl: inspectorUrl(lines.join('\n')),
    output: () => lines.join('\n'),
    stop: async () => {
      floors.delete(measured);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
  floors.add(measured);
  return measured;
}

/**
 * The product as production runs it (`node server/dist/main.js`). When the build does not start
 * (others' work in progress can leave it half-made), the sources under tsx instead, said in the label.
 */
export async function spawnProduct(label: string, env: Record<string, string>): Promise<Measured & { process: ServerProcess }> {
  let server: ServerProcess;
  try {
    server = await spawnServer({ NODE_OPTIONS: INSPECT, ...env }, { built: true, timeoutMs: 120_000, name: label });
  } catch (error) {
    const text = (error as Error).message;
    const why = (/"message":"(.{0,160})/.exec(text)?.[1] ?? text.split('\n')[0])!.replace(/\\n/g, ' ');
    console.log(`  ${label}: the built server did not start (${why}); measuring the sources under tsx instead`);
    label = `${label} (tsx sources)`;
    server = await spawnServer({ NODE_OPTIONS: INSPECT, ...env }, { built: false, timeoutMs: 120_000, name: label });
  }
  return {
    label,
    url: server.url,
    pid: server.pid,
    inspectorUrl: inspectorUrl(server.output()),
    output: server.output,
    process: server,
    stop: async () => {
      const killer = setTimeout(() => void server.kill('SIGKILL'), 15_000);
      await server.kill('SIGTERM');
      clearTimeout(killer);
    },
  };
}

const inspectorUrl = (output: string) => /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? null;

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** User + system CPU the process has used so far, in ms (Linux /proc). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

// `ws` as socket.io's engine depends on it (not a root dependency).
const serverRequire = createRequire(new URL('../../server/package.json', import.meta.url));
const wsPath = createRequire(createRequire(serverRequire.resolve('socket.io')).resolve('engine.io')).resolve('ws');
interface InspectorSocket {
  once(event: 'open' | 'error', listener: (error?: Error) => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  off(event: 'message', listener: (data: Buffer) => void): void;
  send(data: string): void;
  close(): void;
}
const { default: WebSocket } = (await import(wsPath)) as { default: new (url: string) => InspectorSocket };

/** `process.memoryUsage()` of a child after a full GC, read over its inspector. */
export async function memoryAfterGc(server: Measured): Promise<{ heapUsed: number; rss: number }> {
  if (!server.inspectorUrl) throw new Error(`${server.label} printed no inspector URL`);
  const ws = new WebSocket(server.inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: { result?: { value?: unknown } } }>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`inspector ${method} timed out`)), 60_000);
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(String(data)) as { id?: number; result?: { result?: { value?: unknown } } };
        if (reply.id !== id) return;
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(reply);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    // Twice: the first collection can leave garbage that finalizers free for the second.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const reply = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const usage = JSON.parse(String(reply.result?.result?.value)) as { heapUsed: number; rss: number };
    return { heapUsed: usage.heapUsed, rss: usage.rss };
  } finally {
    ws.close();
  }
}

/**
 * A REST API key for the demo site, made by the built CLI (`apikey:create`) on a product's store
 * (the site exists once a server has started on it; an embedded DATA_DIR must be free).
 */
export async function createApiKey(storeEnv: Record<string, string>): Promise<string> {
  const cli = path.join(HERE, '..', '..', 'server', 'dist', 'cli', 'api-key.js');
  const { execFile } = await import('node:child_process');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...CHILD_DEFAULTS, NODE_ENV: 'production', ...storeEnv };
  return new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [cli, 'create', '--site', 'demo', '--name', 'load bench'], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`apikey:create failed: ${stderr || error.message}`)) : resolve(stdout.trim().split('\n').at(-1)!),
    ),
  );
}
