import { describe, expect, it } from 'vitest';
import { KnowledgeService } from './knowledge-service.ts';
import type { KeyValueCache, KnowledgeArticleRecord, KnowledgeArticles } from './ports.ts';

const ARTICLES = 200;
const WORDS = ['тариф', 'роутер', 'оплата', 'договор', 'скорость', 'кабель', 'приставка', 'баланс', 'подключение', 'адрес', 'пароль', 'канал'];

/** A large site: many long articles (deterministic filler) and one that answers the question asked. */
function largeSite(): KnowledgeArticleRecord[] {
  const filler = (seed: number, count: number): string =>
    Array.from({ length: count }, (_, i) => `${WORDS[(seed * 7 + i * 3) % WORDS.length]}${'абвгдежзиклмнопрст'[(seed + i) % 18]}${i % 5}`).join(' ');
  const article = (i: number, title: string, body: string): KnowledgeArticleRecord => ({
    id: `a${i}`,
    siteId: 'site',
    slug: `a${i}`,
    title,
    body,
    url: null,
    locale: 'ru',
    enabled: true,
    updatedAt: new Date(0),
  });
  const articles = Array.from({ length: ARTICLES }, (_, i) =>
    article(i, filler(i, 4), Array.from({ length: 6 }, (_, s) => `## ${filler(i + s, 3)}\n\n${filler(i * 11 + s, 60)}.\n\n${filler(i * 13 + s, 40)}.`).join('\n\n')),
  );
  articles.push(article(ARTICLES, 'Как заморозить договор', 'Договор можно заморозить на срок от 7 до 90 дней в личном кабинете. Абонентская плата на это время не списывается.'));
  return articles;
}

describe('knowledge index of a large site', () => {
  it('builds while timers keep firing, then answers from it', { timeout: 120_000 }, async () => {
    const site = largeSite();
    const articles: KnowledgeArticles = {
      list: async () => site,
      save: async () => null,
      delete: async () => false,
      replaceAll: async () => ({ added: [], updated: [], removed: [], unchanged: 0 }),
    };
    const versions: KeyValueCache = { get: async () => null, set: async () => {}, delete: async () => {} };
    const knowledge = new KnowledgeService({ articles, versions, clock: { now: () => new Date(0) } });

    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    try {
      const answer = await knowledge.answer('site', 'как заморозить договор?');
      expect(answer?.articleId).toBe(`a${ARTICLES}`);
    } finally {
      clearInterval(timer);
    }
    // Built in one go, the index would hold the event loop for the whole build and the timer
    // would not fire at all (the fake ports resolve without I/O). Built a step per turn, it
    // fires between articles.
    expect(ticks).toBeGreaterThanOrEqual(20);
  });
});
