/**
 * The operator console in a real browser against the whole server: a visitor (a real
 * socket.io-client) escalates, the operator logs in at /console, claims the conversation from
 * the queue and answers; the visitor gets the answer and the bot stays silent from the claim on.
 * Needs the built console (`pnpm build` → dist/console) and Chromium at /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Ack, ConversationStatus, MessageDto, SentMessage } from '@support-chat/protocol';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, startTestServer, visitorSocket, waitFor, type TestServer, type VisitorClient } from './support/test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/console/console.js', import.meta.url));

const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };
const SECOND = { email: 'boris@example.com', password: 'another-horse-battery', name: 'Борис' };
const UI_TIMEOUT = 20_000;

/** Everything the visitor's socket receives, in arrival order: messages and status changes. */
type VisitorEvent = { kind: 'message'; message: MessageDto } | { kind: 'status'; status: ConversationStatus };

function recordVisitor(socket: VisitorClient): VisitorEvent[] {
  const events: VisitorEvent[] = [];
  socket.on('message:new', (message) => events.push({ kind: 'message', message }));
  socket.on('conversation:status', ({ status }) => events.push({ kind: 'status', status }));
  return events;
}

async function say(socket: VisitorClient, text: string): Promise<SentMessage> {
  const ack: Ack<SentMessage> = await socket.timeout(10_000).emitWithAck('message:send', { clientMessageId: randomUUID(), text });
  if (!ack.ok) throw new Error(`message:send refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

async function logIn(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByTestId('connection').getByText('Connected').waitFor({ timeout: UI_TIMEOUT });
}

describe.skipIf(!HAS_CHROMIUM)(`operator console in a browser${HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is missing)`}`, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const visitors: VisitorClient[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) throw new Error(`${CONSOLE_BUILD} is missing: run \`pnpm build\` before this test`);
    server = await startTestServer('embedded', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DELAYS_ENABLED: 'false' });
    await server.services.auth.upsert({ email: SECOND.email, password: SECOND.password, name: SECOND.name, role: 'operator', sites: [{ siteKey: 'demo', role: 'operator' }] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    for (const v of visitors) v.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('an operator claims an escalated conversation from the queue, the visitor gets the reply and no bot message after the claim', { timeout: 90_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const visitor = visitorSocket(server.url, { visitorId });
    visitors.push(visitor);
    const events = recordVisitor(visitor);
    await connected(visitor);

    const page = await newPage();
    await logIn(page, server.url, ADMIN);

    // The same question three times: the bot gives up and escalates with HIGH priority.
    await say(visitor, 'интернет не работает');
    await say(visitor, 'интернет всё ещё не работает!!!');
    await say(visitor, 'я же говорю, ИНТЕРНЕТ НЕ РАБОТАЕТ');

    const row = page.getByRole('button', { name: visitorId });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.getByText('HIGH', { exact: true }).waitFor({ timeout: UI_TIMEOUT });

    await row.click();
    const conversation = page.getByTestId('conversation');
    await conversation.getByRole('heading', { name: visitorId }).waitFor({ timeout: UI_TIMEOUT });
    await conversation.getByTestId('message').filter({ hasText: 'я же говорю, ИНТЕРНЕТ НЕ РАБОТАЕТ' }).waitFor({ timeout: UI_TIMEOUT });

    await conversation.getByRole('button', { name: 'Claim', exact: true }).click();
    await conversation.getByTestId('conversation-status').getByText('You are answering').waitFor({ timeout: UI_TIMEOUT });
    await waitFor(() => events.some((e) => e.kind === 'status' && e.status === 'OPERATOR'), UI_TIMEOUT);

    // A visitor message after the claim reaches the console live, as text (never HTML), and the bot stays quiet.
    await say(visitor, 'алло, вы тут? <b>жду</b>');
    await conversation.getByTestId('message').filter({ hasText: 'алло, вы тут? <b>жду</b>' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await conversation.locator('.messages b').count()).toBe(0);

    const reply = page.getByLabel('Reply', { exact: true });
    await reply.fill('Здравствуйте, я оператор Анна');
    await reply.press('Enter');

    const answer = await waitFor(
      () => events.find((e): e is Extract<VisitorEvent, { kind: 'message' }> => e.kind === 'message' && e.message.author === 'operator'),
      UI_TIMEOUT,
    );
    expect(answer.message.text).toBe('Здравствуйте, я оператор Анна');
    await conversation.getByTestId('message').filter({ hasText: 'Здравствуйте, я оператор Анна' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await reply.inputValue()).toBe('');

    // Give a late bot reply every chance to show up, then check none came after the takeover.
    await new Promise((r) => setTimeout(r, 1000));
    const claimedAt = events.findIndex((e) => e.kind === 'status' && e.status === 'OPERATOR');
    const botAfterClaim = events.slice(claimedAt).filter((e) => e.kind === 'message' && e.message.author === 'bot');
    expect(botAfterClaim).toEqual([]);
  });

  it('a second operator sees who took the conversation when claiming it, and has no templates section', { timeout: 90_000 }, async () => {
    const visitorId = `visitor-${randomUUID()}`;
    const visitor = visitorSocket(server.url, { visitorId });
    visitors.push(visitor);
    await connected(visitor);
    await say(visitor, 'позовите оператора');

    const admin = await newPage();
    await logIn(admin, server.url, ADMIN);
    const boris = await newPage();
    await logIn(boris, server.url, SECOND);
    await admin.getByTestId('operators-online').getByText('2 operators online').waitFor({ timeout: UI_TIMEOUT });
    expect(await boris.getByRole('button', { name: 'Templates' }).count()).toBe(0);

    // Both open the conversation; the admin claims first.
    await boris.getByRole('button', { name: visitorId }).click();
    await boris.getByTestId('conversation').getByRole('heading', { name: visitorId }).waitFor({ timeout: UI_TIMEOUT });
    await admin.getByRole('button', { name: visitorId }).click();
    await admin.getByTestId('conversation').getByRole('button', { name: 'Claim', exact: true }).click();
    await admin.getByTestId('conversation-status').getByText('You are answering').waitFor({ timeout: UI_TIMEOUT });

    // Boris's queue shows the owner live; his claim is refused with the owner's name.
    await boris.getByRole('button', { name: visitorId }).getByText('Taken by Admin').waitFor({ timeout: UI_TIMEOUT });
    await boris.getByTestId('conversation').getByRole('button', { name: 'Claim', exact: true }).click();
    await boris.getByTestId('conversation-notice').getByText('Already taken by Admin').waitFor({ timeout: UI_TIMEOUT });
    expect(await boris.getByLabel('Reply', { exact: true }).isDisabled()).toBe(true);

    // Resolving takes the conversation out of both queues.
    await admin.getByTestId('conversation').getByRole('button', { name: 'Resolve', exact: true }).click();
    await admin.getByTestId('conversation-status').getByText('Resolved').waitFor({ timeout: UI_TIMEOUT });
    await boris.getByRole('button', { name: visitorId }).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });

  it('a session the server no longer accepts returns to the login form with the reason', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await page.addInitScript(() => {
      sessionStorage.setItem(
        'support-chat:console:session',
        JSON.stringify({ token: 'not-a-valid-token', operator: { id: 'x', email: 'x@example.com', name: 'X', role: 'operator', sites: [] } }),
      );
    });
    await page.goto(`${server.url}/console`);
    await page.getByTestId('login-error').getByText(/session expired or invalid/i).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
  });
});
