/**
 * `pnpm classify` as a user runs it: JSON lines in, one answer line per input out, in order,
 * with bad lines answered by an error line instead of a crash.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CATEGORIES } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a clean shell: no key, no Redis, unless a test sets them. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...extra };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_API_BASE', 'REDIS_URL'] as const) if (!(name in extra)) delete env[name];
  return env;
}

function run(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const classify = (input: string, env = cliEnv()) => run(process.execPath, ['--import', 'tsx', 'server/src/cli/classify.ts'], input, env);

function outputLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('classify CLI', () => {
  it('answers each line in input order, with an error line in place of a malformed one', async () => {
    const input = ['{"text": "привет"}', '{"text": "нет интернета', '{"text": "спасибо, до свидания"}', ''].join('\n');
    const { code, stdout, stderr } = await classify(input);

    expect(code, stderr).toBe(0);
    const lines = outputLines(stdout);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toEqual({ error: expect.any(String) });
    for (const line of [lines[0]!, lines[2]!]) {
      expect(Object.keys(line).sort()).toEqual(['category', 'confidence', 'source']);
      expect(CATEGORIES).toContain(line.category);
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
      expect(line.source).toBe('local');
    }
  });

  it('rejects lines that are JSON but not {"text": string}, and classifies a re-typed repeat alike', async () => {
    const input = ['{"text": 42}', '["привет"]', '{"text": "Привет!"}', '{"text": "привет"}'].join('\n');
    const { code, stdout, stderr } = await classify(input);

    expect(code, stderr).toBe(0);
    const lines = outputLines(stdout);
    expect(lines.map((line) => line.error === undefined)).toEqual([false, false, true, true]);
    expect(lines[2]!.source).toBe('local');
    // Offline there is no cache in between (the model is faster than a round trip to one).
    expect(lines[3]).toEqual(lines[2]);
  });

  it('keeps input order under concurrency', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `нет интернета ${i}` : i % 3 === 1 ? `bad ${i}` : `спасибо ${i}`));
    const input = texts.map((text) => (text.startsWith('bad') ? text : JSON.stringify({ text }))).join('\n');
    const { stdout } = await classify(input);

    const lines = outputLines(stdout);
    expect(lines).toHaveLength(40);
    lines.forEach((line, i) => expect('error' in line).toBe(i % 3 === 1));
  });

  it('runs as `pnpm classify` with nothing but answers on stdout', async () => {
    const { code, stdout } = await run('pnpm', ['--silent', 'classify'], '{"text":"hello"}\n', cliEnv());
    expect(code).toBe(0);
    expect(outputLines(stdout)).toEqual([{ category: expect.any(String), confidence: expect.any(Number), source: 'local' }]);
  });

  it('stops with one line on stderr for a bad configuration', async () => {
    const { code, stdout, stderr } = await classify('{"text":"hello"}\n', cliEnv({ AI_CONFIDENCE_THRESHOLD: '7' }));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/AI_CONFIDENCE_THRESHOLD/);
  });

  describe('with OPENAI_API_KEY set', () => {
    let server: Server;
    let baseURL: string;
    const seen: string[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (chunk) => (raw += chunk));
        req.on('end', () => {
          const body = JSON.parse(raw) as { model: string; messages: Array<{ content: string }> };
          const { message } = JSON.parse(body.messages[1]!.content) as { message: string };
          seen.push(message);
          if (message === 'boom') {
            res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
            return;
          }
          // "ACCOUNT after 300": answer ACCOUNT, 300 ms late (for the ordering test).
          const scripted = /^([A-Z_]+) after (\d+)$/.exec(message);
          const content = JSON.stringify({ category: scripted?.[1] ?? 'BILLING', confidence: 0.96 });
          setTimeout(() => {
            res.writeHead(200, { 'content-type': 'application/json' }).end(
              JSON.stringify({
                id: 'chatcmpl-cli',
                object: 'chat.completion',
                created: 1_700_000_000,
                model: body.model,
                choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
              }),
            );
          }, Number(scripted?.[2] ?? 0));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('uses the LLM path, falling back per line when the LLM fails', async () => {
      const env = cliEnv({ OPENAI_API_KEY: 'sk-cli-test', OPENAI_API_BASE: baseURL, AI_CLASSIFICATION_TIMEOUT: '2' });
      const { code, stdout, stderr } = await classify(['{"text":"сколько стоит тариф"}', '{"text":"boom"}'].join('\n'), env);

      expect(code, stderr).toBe(0);
      const lines = outputLines(stdout);
      expect(lines[0]).toEqual({ category: 'BILLING', confidence: 0.96, source: 'llm' });
      expect(lines[1]).toMatchObject({ source: 'local' });
      expect(seen).toContain('сколько стоит тариф');
      expect(stderr).not.toContain('sk-cli-test');
    });

    it('writes answers in input order even when later lines are answered first', async () => {
      const env = cliEnv({ OPENAI_API_KEY: 'sk-cli-test', OPENAI_API_BASE: baseURL, AI_CLASSIFICATION_TIMEOUT: '5' });
      const texts = ['ACCOUNT after 600', 'GREETING after 0', 'COMPLAINT after 300', null, 'THANKS after 0', 'FAREWELL after 100'];
      const input = texts.map((text) => (text === null ? '{oops' : JSON.stringify({ text }))).join('\n');
      const { code, stdout, stderr } = await classify(input, env);

      expect(code, stderr).toBe(0);
      const lines = outputLines(stdout);
      expect(lines.map((line) => line.category ?? 'error')).toEqual(['ACCOUNT', 'GREETING', 'COMPLAINT', 'error', 'THANKS', 'FAREWELL']);
      expect(lines.filter((line) => line.source === 'llm')).toHaveLength(5);
    });
  });
});
