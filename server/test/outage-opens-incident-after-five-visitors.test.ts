import { randomUUID } from 'node:crypto';
import type { IncidentBanner, IncidentDto, MessageDto, VisitorSession } from '@support-chat/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
import {
  collect,
  connected,
  nextEvent,
  operatorSocket,
  STORAGE_MODES,
  startTestServer,
  visitorSocket,
  waitFor,
  type OperatorClient,
  type TestServer,
  type VisitorClient,
  logInOperator,
} from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const REPORT = 'интернета нет во всём доме';
const OUTAGE_KNOWN = DEFAULT_TEMPLATES.OUTAGE_KNOWN!.ru;

interface Reporter {
  socket: VisitorClient;
  messages: MessageDto[];
  banners: Array<IncidentBanner | null>;
  conversationId: string;
}

interface Stats {
  open_incidents: IncidentDto[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(STORAGE_MODES)('a mass outage (%s)', (mode) => {
  let server: TestServer;
  let token: string;
  const sockets: Array<VisitorClient | OperatorClient> = [];
  const track = <T extends VisitorClient | OperatorClient>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    token = await logInOperator(server.url, ADMIN);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => server?.stop());

  const stats = async () => (await (await fetch(`${server.url}/api/monitoring/stats`)).json()) as Stats;

  /** A new visitor on the demo site reports the outage and waits for the bot's answer. */
  async function report(visitorId = `visitor-${randomUUID()}`, text = REPORT): Promise<Reporter> {
    const socket = track(visitorSocket(server.url, { visitorId }));
    const messages = collect<MessageDto>(socket, 'message:new');
    const banners = collect<IncidentBanner | null>(socket, 'incident');
    await connected(socket);
    const sent = await socket.emitWithAck('message:send', { clientMessageId: randomUUID(), text });
    if (!sent.ok) throw new Error(sent.error.message);
    await waitFor(() => messages.find((m) => m.author === 'bot' && m.seq > sent.data.seq));
    return { socket, messages, banners, conversationId: sent.data.conversationId };
  }

  const botTexts = (r: Reporter) => r.messages.filter((m) => m.author === 'bot').map((m) => m.text);

  it('five distinct reporters open an incident; later reporters are told at once and linked; resolving messages every linked visitor', async () => {
    const op = track(operatorSocket(server.url, token));
    const opened = collect<IncidentDto>(op, 'incident:opened');
    const resolvedEvents = collect<IncidentDto>(op, 'incident:resolved');
    await connected(op);
    const bystander = track(visitorSocket(server.url));
    const bystanderBanners = collect<IncidentBanner | null>(bystander, 'incident');
    await connected(bystander);

    // Four reporters: ordinary outage answers, no incident yet.
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await report());
    for (const r of first) expect(botTexts(r).some((t) => OUTAGE_KNOWN.includes(t))).toBe(false);
    expect(opened).toEqual([]);
    expect((await stats()).open_incidents).toEqual([]);

    // The fifth opens the incident — and is already told it is a known outage.
    const fifth = await report();
    const incident = await waitFor(() => opened[0]);
    expect(incident).toMatchObject({ kind: 'MASS_OUTAGE', status: 'OPEN', siteKey: 'demo' });
    expect(botTexts(fifth)).toEqual([expect.toSatisfy((t: string) => OUTAGE_KNOWN.includes(t))]);

    // Every visitor socket of the site shows the banner.
    for (const r of [...first, fifth]) await waitFor(() => r.banners.find((b) => b?.id === incident.id));
    const banner = await waitFor(() => bystanderBanners.find((b) => b?.id === incident.id));
    expect(banner).toMatchObject({ id: incident.id, kind: 'MASS_OUTAGE', status: 'OPEN' });
    expect(banner!.text.length).toBeGreaterThan(0);

    const listed = (await stats()).open_incidents;
    expect(listed.map((i) => [i.id, i.kind, i.status])).toEqual([[incident.id, 'MASS_OUTAGE', 'OPEN']]);

    // A sixth reporter over REST: the outage template at once, the incident in the answer.
    const clientId = `rest-${randomUUID()}`;
    const before = Date.now();
    const res = await fetch(`${server.url}/api/messages/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, content: 'у нас весь дом без интернета', client_message_id: randomUUID() }),
    });
    const sixth = (await res.json()) as {
      conversation_id: string;
      response: { text: string; deliver_at: string };
      escalated: boolean;
      incident: unknown;
    };
    expect(sixth.incident).toEqual({ id: incident.id, kind: 'MASS_OUTAGE', status: 'OPEN' });
    expect(OUTAGE_KNOWN).toContain(sixth.response.text);
    expect(sixth.escalated).toBe(false);
    expect(Date.parse(sixth.response.deliver_at)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(sixth.response.deliver_at)).toBeGreaterThanOrEqual(before - 1000);

    // A seventh over the widget, and a visitor who only opens the chat now: banner in the session.
    const seventh = await report(undefined, 'в подъезде ни у кого нет интернета');
    expect(botTexts(seventh).every((t) => OUTAGE_KNOWN.includes(t))).toBe(true);
    const latecomer = track(visitorSocket(server.url));
    const session = nextEvent<VisitorSession>(latecomer, 'session');
    await connected(latecomer);
    expect((await session).incident).toMatchObject({ id: incident.id, kind: 'MASS_OUTAGE', status: 'OPEN' });

    // Everyone who reported in the window is linked — the first four too — and so are later reporters.
    const linked = [...first.map((r) => r.conversationId), fifth.conversationId, sixth.conversation_id, seventh.conversationId];
    for (const id of linked) expect((await server.services.store.getConversation(id))?.incidentId).toBe(incident.id);
    const queue = await op.emitWithAck('queue:list');
    expect(queue.ok && queue.data.incidents.find((i) => i.id === incident.id)?.linkedConversations).toBe(linked.length);

    // Resolving with a message: every linked visitor receives it; the banner goes away.
    const resolution = 'Связь восстановлена. Спасибо за терпение!';
    const resolved = await op.emitWithAck('incident:resolve', { incidentId: incident.id, message: resolution });
    expect(resolved).toMatchObject({ ok: true, data: { id: incident.id, status: 'RESOLVED' } });
    for (const r of [...first, fifth, seventh]) await waitFor(() => r.messages.find((m) => m.author === 'operator' && m.text === resolution));
    const restHistory = await server.services.store.messagesAfter(sixth.conversation_id, 0, 100);
    expect(restHistory.filter((m) => m.author === 'operator').map((m) => m.text)).toEqual([resolution]);

    await waitFor(() => resolvedEvents.find((i) => i.id === incident.id));
    await waitFor(() => bystanderBanners.at(-1) === null);
    for (const r of [...first, fifth, seventh]) await waitFor(() => r.banners.at(-1) === null);
    expect((await stats()).open_incidents).toEqual([]);

    // Once resolved it cannot be resolved again (and nobody is messaged twice).
    expect(await op.emitWithAck('incident:resolve', { incidentId: incident.id, message: resolution })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await sleep(200);
    for (const r of [...first, fifth, seventh]) expect(r.messages.filter((m) => m.text === resolution)).toHaveLength(1);
    expect(bystanderBanners.filter((b) => b === null)).toHaveLength(1);
  });

  it('one visitor reporting five times is one reporter: no incident', async () => {
    const op = track(operatorSocket(server.url, token));
    const opened = collect<IncidentDto>(op, 'incident:opened');
    await connected(op);
    const visitorId = `visitor-${randomUUID()}`;
    const same = track(visitorSocket(server.url, { visitorId }));
    const messages = collect<MessageDto>(same, 'message:new');
    await connected(same);
    for (let i = 0; i < 5; i++) {
      await same.emitWithAck('message:send', { clientMessageId: randomUUID(), text: REPORT });
      await sleep(50);
    }
    for (let i = 0; i < 3; i++) await report(); // three more distinct reporters: four in all
    await sleep(300);
    expect(opened).toEqual([]);
    expect((await stats()).open_incidents).toEqual([]);
    expect(messages.filter((m) => m.author === 'bot' && OUTAGE_KNOWN.includes(m.text))).toEqual([]);
  });

  // Decisions are serialized per conversation, not per site: several reporters crossing the
  // threshold together — exactly when an outage happens — must still share one OPEN incident
  // (duplicates would split the linked visitors and let one resolution clear the banner early).
  it('reporters crossing the threshold at the same moment open one incident, not several', async () => {
    const { store, chat } = server.services;
    // A site of its own, so the window starts empty whatever ran before.
    const site = await store.upsertSite({ key: `race-${randomUUID().slice(0, 8)}`, name: 'Race', locale: 'ru', allowedOrigins: [] });
    const report = () => chat.receive({ site, visitorExternalId: `visitor-${randomUUID()}`, text: REPORT, clientMessageId: randomUUID(), channel: 'REST' });
    const openPerRound: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await report();
      await Promise.all(Array.from({ length: 8 }, report)); // the 5th … 12th at once
      const open = (await store.incidents('OPEN')).filter((i) => i.siteKey === site.key);
      openPerRound.push(open.length);
      for (const incident of open) await store.resolveIncident(incident.id, 'ok', new Date());
    }
    expect(openPerRound).toEqual([1, 1, 1]);
  });
});
