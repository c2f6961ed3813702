import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex, DEFAULT_KNOWLEDGE_OPTIONS } from './index.ts';
import { markdownToPlain } from './markdown.ts';

const QUESTIONS = [
  'Как заморозить договор?',
  'Как вернуться из заморозки раньше?',
  'Как оплатить интернет?',
  'Что значит красная лампочка на роутере?',
  'Сколько стоит тариф?',
  'Сколько символов должно быть в пароле от Wi-Fi?',
  'kak oplatit',
  'How do I freeze my contract?',
];

describe('the quoted passage', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);
  const plain = new Map(FIXTURE_ARTICLES.map((a) => [a.id, markdownToPlain(a.body).text]));

  it('is a slice of the article text, without Markdown syntax, at most 600 characters', () => {
    for (const question of QUESTIONS) {
      for (const hit of index.search(question, 3)) {
        expect(plain.get(hit.articleId), question).toContain(hit.passage);
        expect(hit.passage.length).toBeLessThanOrEqual(DEFAULT_KNOWLEDGE_OPTIONS.passageMaxChars);
        expect(hit.passage).not.toMatch(/\*\*|\]\(|^#+ |\|/m);
        expect(hit.passage.trim()).not.toBe('');
      }
    }
  });

  it('quotes the sentences that answer, not the whole article', () => {
    const hit = index.search('Как отменить заморозку и вернуться раньше?', 1)[0]!;
    expect(hit.articleId).toBe('pause');
    expect(hit.passage).toContain('Отмените заморозку в том же разделе');
    expect(hit.passage).not.toContain('14 дней');
  });

  it('keeps a list together with the sentence that introduces it', () => {
    const answer = index.search('Какие есть способы оплатить интернет?', 1)[0]!;
    expect(answer.passage.startsWith('Оплатить услуги можно несколькими способами:')).toBe(true);
    expect(answer.passage).toContain('Через СБП по QR-коду');
  });

  it('cuts a sentence longer than the limit at a word boundary of the article', () => {
    const long = `${'Очень длинное предложение про заморозку договора '.repeat(30)}конец.`;
    const index = buildKnowledgeIndex([{ id: 'long', title: 'Заморозка', body: long, url: null, locale: 'ru' }]);
    const hit = index.search('заморозка договора', 1)[0]!;
    expect(hit.passage.length).toBeLessThanOrEqual(600);
    expect(long).toContain(hit.passage);
    expect(long[hit.passage.length]).toBe(' ');
  });
});
