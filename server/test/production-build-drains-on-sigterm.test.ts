import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Ack, MessageDto, SentMessage } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from './support/built-server.ts';
import { CHILD_DEFAULTS, freePort, spawnServer, tempDataDir, type ServerProcess } from './support/server-process.ts';
import { connected, visitorSocket, waitFor } from './support/test-server.ts';

// What production runs (`node server/dist/main.js`, no TypeScript loader between the process and
// its signals) on an embedded DATA_DIR, stopped the way a supervisor stops it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENV = { DELAYS_ENABLED: 'false' };

/** `pnpm operator:add` as the README has it (sources under tsx); its exit code and stderr. */
function addOperator(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/add-operator.ts', '--email', 'anna@example.com', '--name', 'Anna', '--site', 'demo'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...CHILD_DEFAULTS, OPERATOR_PASSWORD: 'correct horse battery', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('the production build on an embedded DATA_DIR', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;
  const visitorId = `visitor-${randomUUID()}`;
  let sent: SentMessage;

  beforeAll(async () => {
    await ensureServerBuilt();
    data = await tempDataDir();
    env = { ...ENV, DATA_DIR: data.dir };
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await data?.remove();
  });

  // The first start on an empty DATA_DIR creates the database and applies every migration: slow on a loaded machine.
  it('acks a visitor message', { timeout: 120_000 }, async () => {
    server = await spawnServer(env, { built: true, name: 'built #1' });
    const socket = visitorSocket(server.url, { visitorId });
    await connected(socket);
    const ack: Ack<SentMessage> = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text: 'Как поменять пароль от личного кабинета?' });
    expect(ack.ok).toBe(true);
    if (ack.ok) sent = ack.data;
    socket.disconnect();
  });

  it('refuses a second server on the same DATA_DIR with one clear line, and the first keeps serving', async () => {
    const second = spawnServer(env, { built: true, name: 'built #2' });
    await expect(second).rejects.toThrow(/server exited with 1 before listening:\nstderr: DATA_DIR=\S+ is in use by another server process \(pid \d+\): stop it first, or set another DATA_DIR$/);
    expect((await fetch(`${server!.url}/health`)).status).toBe(200);
  });

  it('refuses operator:add while the server holds DATA_DIR', async () => {
    const { code, stderr } = await addOperator({ DATA_DIR: data.dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^operator:add: the server is running on DATA_DIR=\S+ \(pid \d+\); stop it first/);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server!.kill('SIGTERM')).toBe(0);
    server = null;
  });

  it('leaves DATA_DIR unlocked and intact: operator:add works, a restart has the conversation', { timeout: 120_000 }, async () => {
    const added = await addOperator({ DATA_DIR: data.dir });
    expect(added).toEqual({ code: 0, stderr: '' });

    server = await spawnServer(env, { built: true, name: 'built #3' });
    const socket = visitorSocket(server.url, { visitorId, conversationId: sent.conversationId, lastSeq: sent.seq });
    await connected(socket);
    // The reply was decided before or during the drain, or by the restarted server: once either way.
    const messages = await waitFor(async () => {
      const history = await socket.emitWithAck('history:since', { afterSeq: 0 });
      return history.ok && history.data.messages.some((m: MessageDto) => m.author === 'bot') ? history.data.messages : null;
    }, 15_000, 200);
    expect(messages.map((m) => [m.seq, m.author])).toEqual([
      [1, 'visitor'],
      [2, 'bot'],
    ]);
    expect(messages[0]!.id).toBe(sent.id);
    socket.disconnect();
  });

  it('lets a server restarted right after a SIGKILL take the lock over', async () => {
    await server!.kill('SIGKILL');
    server = await spawnServer(env, { built: true, name: 'built #4' });
    expect(await server.kill('SIGTERM')).toBe(0);
    server = null;
  });
});

describe('the production build with an unreachable DATABASE_URL', () => {
  beforeAll(() => ensureServerBuilt());

  it('stops with one line naming the variable and the host, no stack', async () => {
    const port = await freePort();
    const start = spawnServer({ ...ENV, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nowhere` }, { built: true });
    await expect(start).rejects.toThrow(
      new RegExp(`^server exited with 1 before listening:\\nstderr: Cannot reach DATABASE_URL \\(127\\.0\\.0\\.1:${port}\\): connection refused$`),
    );
  });
});
