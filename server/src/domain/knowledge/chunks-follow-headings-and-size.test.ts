import { describe, expect, it } from 'vitest';
import { chunkArticle } from './chunk.ts';
import { markdownToPlain } from './markdown.ts';

const words = (n: number, word = 'слово'): string => Array.from({ length: n }, () => word).join(' ');

describe('chunking an article', () => {
  it('never mixes two sections, and keeps each section heading', () => {
    const plain = markdownToPlain(`Вступление.\n\n## Первый\n\n${words(10)}.\n\n## Второй\n\n${words(10)}.`);
    const chunks = chunkArticle(plain, { minWords: 40, maxWords: 120 });
    expect(chunks.map((c) => c.heading)).toEqual(['', 'Первый', 'Второй']);
  });

  it('packs paragraphs of a section up to the maximum and cuts a long paragraph between sentences', () => {
    const paragraph = Array.from({ length: 10 }, () => `Начало ${words(13)}.`).join(' ');
    const plain = markdownToPlain(`## Раздел\n\n${paragraph}\n\n${words(30, 'другое')}.`);
    const chunks = chunkArticle(plain, { minWords: 40, maxWords: 120 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.words).toBeLessThanOrEqual(120);
      for (const unit of chunk.units) expect(plain.text.slice(unit.start, unit.end)).toMatch(/^(Начало|другое) .*\.$/);
    }
  });

  it('turns lists and tables into one unit per item or row', () => {
    const plain = markdownToPlain('Способы:\n\n- картой\n- наличными\n\n| Тариф | Цена |\n|---|---|\n| Базовый | 400 ₽ |');
    const [chunk] = chunkArticle(plain, { minWords: 40, maxWords: 120 });
    expect(chunk!.units.map((u) => plain.text.slice(u.start, u.end))).toEqual(['Способы:', 'картой', 'наличными', 'Тариф — Цена', 'Базовый — 400 ₽']);
    expect(chunk!.units[0]!.leadsOn).toBe(true);
  });
});
