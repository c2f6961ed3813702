/**
 * `pnpm kb:import --site demo <folder>` as an admin runs it against a deployment on Postgres +
 * Redis: the folder becomes the site's knowledge base (added / updated / removed by file name,
 * bad files reported and skipped), and the running server answers from it without a restart.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_KB_IMPORT, ensureServerBuilt } from './support/built-server.ts';
import { REDIS_URL, startTestServer, waitFor, type TestServer } from './support/test-server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

const PAUSE = `---
url: https://help.example.net/pause
locale: ru
---
# Приостановка договора

Договор можно приостановить на срок от 7 до 90 дней в году. Первые 30 дней приостановки бесплатны, дальше — 2 ₽ в сутки.

Заявление на приостановку подаётся в личном кабинете, в разделе «Услуги».
`;
const MOVING = `# Переезд

Перенести договор на новый адрес можно бесплатно один раз в год. Заявку на переезд оставьте за неделю до переезда.
`;

function importFolder(folder: string, env: Record<string, string>, site = 'demo'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The production build, as the Docker image runs it (`pnpm test` builds it first): it starts in
    // a fraction of tsx's time, which matters on a loaded machine.
    const child = spawn(process.execPath, [BUILT_KB_IMPORT, '--site', site, folder], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each test runs the CLI up to three times: generous safety nets for a loaded machine.
describe('kb:import', { timeout: 120_000 }, () => {
  let server: TestServer;
  let folder: string;
  let env: Record<string, string>;

  const ask = async (content: string) => {
    const res = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: `kb-${randomUUID()}`, content }),
    });
    return ((await res.json()) as { response: { text: string; sources: Array<{ title: string; url: string | null }> } }).response;
  };

  beforeAll(async () => {
    await ensureServerBuilt();
    server = await startTestServer('postgres+redis');
    folder = await mkdtemp(path.join(tmpdir(), 'kb-import-'));
    env = { DATABASE_URL: server.config.DATABASE_URL!, REDIS_URL, REDIS_PREFIX: server.namespace, SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789' };
  });
  afterAll(async () => {
    await server?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('imports the articles of a folder, skipping what is not an article, and the running server answers from them', async () => {
    expect((await ask('как приостановить договор на время отпуска?')).sources).toEqual([]);
    await writeFile(path.join(folder, 'pause-contract.md'), PAUSE);
    await writeFile(path.join(folder, 'moving.md'), MOVING);
    await writeFile(path.join(folder, 'notes.md'), '---\nurl: https://help.example.net/notes\n---\n\n');
    await writeFile(path.join(folder, 'README.md'), '# About this folder\n\nNot an article.\n');

    const run = await importFolder(folder, env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('site "demo": added 2 (moving, pause-contract), updated 0, removed 0, unchanged 0; skipped 1 file(s)');
    expect(run.stderr).toMatch(/skipped notes\.md: /);

    // No restart: the import told the server's processes through the shared cache.
    const answer = await waitFor(async () => {
      const reply = await ask('как приостановить договор на время отпуска?');
      return reply.sources.length > 0 ? reply : null;
    });
    expect(answer.sources).toEqual([expect.objectContaining({ title: 'Приостановка договора', url: 'https://help.example.net/pause' })]);
    expect(answer.text).toMatch(/приостановить/);
  });

  it('a second import updates by file name and removes articles whose file is gone', async () => {
    await writeFile(path.join(folder, 'pause-contract.md'), PAUSE.replace('2 ₽ в сутки', '3 ₽ в сутки'));
    await unlink(path.join(folder, 'moving.md'));
    await writeFile(path.join(folder, 'static-ip.md'), '# Статический IP\n\nСтатический IP-адрес стоит 150 ₽ в месяц и подключается в личном кабинете.\n');
    const run = await importFolder(folder, env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/added 1 \(static-ip\), updated 1 \(pause-contract\), removed 1 \(moving\), unchanged 0/);

    const again = await importFolder(folder, env);
    expect(again.stdout).toMatch(/added 0, updated 0, removed 0, unchanged 2/);
  });

  it('says what is wrong with an unknown site or a missing folder', async () => {
    const unknown = await importFolder(folder, env, 'no-such-site');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no site with key "no-such-site"/);
    const missing = await importFolder(path.join(folder, 'nope'), env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a folder/);
  });

  it('says in one line which setting is refused, without the bundle source', async () => {
    const refused = await importFolder(folder, { ...env, REDIS_PREFIX: 'has:colon' });
    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('kb:import: REDIS_PREFIX: letters, digits, - and _ only');
    expect(refused.stderr).not.toMatch(/ConfigError|at loadConfig/);
  });
});
