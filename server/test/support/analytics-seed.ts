/**
 * Conversations of known shape for the analytics tests, written straight into the tables (their
 * times are in the past), and the numbers they must give for November 2026 — worked out by hand.
 */
import type { AnalyticsDto } from '@support-chat/protocol';
import type { RunningServer } from '../../src/server.ts';

type Prisma = RunningServer['prisma'];

export const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

interface Seeded {
  at: string;
  escalatedAt?: string;
  reason?: string;
  /** The first operator message. */
  answeredAt?: string;
  resolvedAt?: string;
  rating?: number;
}

/** In the period: 3 bot-only, 4 handed over (one still waiting). */
const DEMO: Seeded[] = [
  { at: '2026-11-02T09:00:00Z', rating: 5 },
  { at: '2026-11-02T09:30:00Z' },
  { at: '2026-11-03T14:00:00Z', rating: 4 },
  { at: '2026-11-05T10:00:00Z', escalatedAt: '2026-11-05T10:01:00Z', reason: 'human_request', answeredAt: '2026-11-05T10:03:00Z', resolvedAt: '2026-11-05T10:21:00Z', rating: 3 },
  { at: '2026-11-06T10:00:00Z', escalatedAt: '2026-11-06T10:00:30Z', reason: 'repeat:BILLING×3', answeredAt: '2026-11-06T10:05:30Z', resolvedAt: '2026-11-06T10:40:00Z', rating: 1 },
  { at: '2026-11-07T18:00:00Z', escalatedAt: '2026-11-07T18:02:00Z', reason: 'complaint', answeredAt: '2026-11-07T18:03:00Z', resolvedAt: '2026-11-07T18:30:00Z' },
  { at: '2026-11-08T09:15:00Z', escalatedAt: '2026-11-08T09:16:00Z', reason: 'human_request×2' },
  // Outside the period: counted nowhere.
  { at: '2026-10-31T23:00:00Z', rating: 1 },
  { at: '2026-12-01T00:00:00Z', escalatedAt: '2026-12-01T00:01:00Z', reason: 'complaint' },
];
/** Another site's conversation in the period: never in the demo site's numbers. */
const OTHER: Seeded[] = [{ at: '2026-11-04T12:00:00Z', escalatedAt: '2026-11-04T12:01:00Z', reason: 'complaint', answeredAt: '2026-11-04T12:02:00Z', resolvedAt: '2026-11-04T12:03:00Z', rating: 2 }];

/** What the demo site's November must read (UTC hours). */
export const EXPECTED: Omit<AnalyticsDto, 'from' | 'to' | 'timeZone'> = {
  conversations: 7,
  botOnly: 3,
  deflectionRate: 3 / 7,
  escalationsByReason: { human_request: 2, repeat: 1, complaint: 1 },
  // 60, 120, 300 s: median 120; p90 = 120 + 0.8 × (300 − 120) = 264 (linear interpolation).
  firstResponse: { count: 3, medianSeconds: 120, p90Seconds: 264 },
  // 1260, 1800, 2400 s: median 1800; p90 = 1800 + 0.8 × 600 = 2280.
  resolution: { count: 3, medianSeconds: 1800, p90Seconds: 2280 },
  // 5, 4, 3, 1 → 13 / 4.
  csat: { count: 4, average: 3.25, distribution: { '1': 1, '2': 0, '3': 1, '4': 1, '5': 1 } },
  byHour: Array.from({ length: 24 }, (_, h) => ({ 9: 3, 10: 2, 14: 1, 18: 1 })[h] ?? 0),
};

export async function seedAnalyticsConversations(prisma: Prisma): Promise<void> {
  const demo = await prisma.site.findUniqueOrThrow({ where: { key: 'demo' } });
  const other = await prisma.site.create({ data: { key: `analytics-other-${Date.now()}`, name: 'Other', allowedOrigins: [] } });
  const operator = await prisma.operator.create({ data: { email: `seed-${Date.now()}@example.com`, name: 'Seed Operator', passwordHash: 'x' } });
  for (const [siteId, list] of [[demo.id, DEMO], [other.id, OTHER]] as const) {
    for (const [i, c] of list.entries()) {
      const visitor = await prisma.visitor.create({ data: { siteId, externalId: `analytics-${siteId}-${i}` } });
      const conversation = await prisma.conversation.create({
        data: {
          siteId,
          visitorId: visitor.id,
          createdAt: new Date(c.at),
          status: c.resolvedAt ? 'RESOLVED' : c.escalatedAt ? (c.answeredAt ? 'OPERATOR' : 'WAITING') : 'BOT',
          escalatedAt: c.escalatedAt ? new Date(c.escalatedAt) : null,
          escalationReason: c.reason ?? null,
          ownerId: c.answeredAt ? operator.id : null,
          resolvedAt: c.resolvedAt ? new Date(c.resolvedAt) : null,
          rating: c.rating ?? null,
        },
      });
      const at = new Date(c.at);
      const later = (s: number) => new Date(at.getTime() + s * 1000);
      await prisma.message.createMany({
        data: [
          { conversationId: conversation.id, seq: 1, author: 'VISITOR', text: 'вопрос', category: 'BILLING', createdAt: at },
          { conversationId: conversation.id, seq: 2, author: 'BOT', text: 'ответ', category: 'BILLING', createdAt: later(5) },
          ...(c.answeredAt ? [{ conversationId: conversation.id, seq: 3, author: 'OPERATOR' as const, text: 'оператор', operatorId: operator.id, createdAt: new Date(c.answeredAt) }] : []),
        ],
      });
    }
  }
}
