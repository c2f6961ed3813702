/**
 * The analytics page's numbers, from conversations of known shape: conversations of the period,
 * deflection, escalations by reason kind, first-response and resolution median and p90, CSAT,
 * busiest hours (in the reader's time zone) — exact, on both storage modes, scoped to one site.
 */
import type { AnalyticsDto } from '@support-chat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, PERIOD, seedAnalyticsConversations } from './support/analytics-seed.ts';
import { connected, logInOperator, operatorSocket, STORAGE_MODES, startTestServer, type OperatorClient, type TestServer } from './support/test-server.ts';

const ADMIN = { email: 'admin@example.com', password: 'admin password 0123' };

describe.each(STORAGE_MODES)('analytics (%s)', (mode) => {
  let server: TestServer;
  let admin: OperatorClient;

  beforeAll(async () => {
    server = await startTestServer(mode, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    await seedAnalyticsConversations(server.prisma);
    admin = operatorSocket(server.url, await logInOperator(server.url, ADMIN));
    await connected(admin);
  }, 120_000);
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  const analytics = async (timeZone?: string) => {
    const ack = await admin.emitWithAck('analytics:get', { siteKey: 'demo', ...PERIOD, ...(timeZone ? { timeZone } : {}) });
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.data;
  };

  it('gives the exact numbers of the seeded month', async () => {
    const data = await analytics();
    const { deflectionRate, ...rest } = EXPECTED;
    expect(data).toMatchObject<Partial<AnalyticsDto>>({ ...rest, from: PERIOD.from, to: PERIOD.to, timeZone: 'UTC' });
    expect(data.deflectionRate).toBeCloseTo(deflectionRate!, 10);
  });

  it('counts the hours of the day in the time zone asked for', async () => {
    const moscow = await analytics('Europe/Moscow'); // UTC+3 all year
    expect(moscow.timeZone).toBe('Europe/Moscow');
    expect(moscow.byHour).toEqual(EXPECTED.byHour.map((_, h) => EXPECTED.byHour[(h + 21) % 24]));
  });

  it('refuses a bad period or time zone', async () => {
    const backwards = await admin.emitWithAck('analytics:get', { siteKey: 'demo', from: PERIOD.to, to: PERIOD.from });
    expect(backwards.ok ? null : backwards.error.code).toBe('validation_error');
    const zone = await admin.emitWithAck('analytics:get', { siteKey: 'demo', ...PERIOD, timeZone: 'Moon/Base' });
    expect(zone.ok ? null : zone.error.code).toBe('validation_error');
  });
});
