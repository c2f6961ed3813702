import { describe, expect, it } from 'vitest';
import { parseArticleMarkdown } from './index.ts';

describe('parseArticleMarkdown', () => {
  it('reads front matter, the "# Title" line and the body', () => {
    const parsed = parseArticleMarkdown(
      'pause.md',
      '---\nurl: https://example.com/help/pause\nlocale: ru\n---\n# Заморозка договора\n\nДоговор можно заморозить.\n\n## Сроки\n\n- 14 дней\n',
    );
    expect(parsed).toEqual({ title: 'Заморозка договора', url: 'https://example.com/help/pause', locale: 'ru', body: 'Договор можно заморозить.\n\n## Сроки\n\n- 14 дней' });
  });

  it('works without front matter, with CRLF line ends and a BOM', () => {
    const parsed = parseArticleMarkdown('a.md', '\uFEFF# Оплата\r\n\r\nКартой или наличными.\r\n');
    expect(parsed).toEqual({ title: 'Оплата', url: null, locale: null, body: 'Картой или наличными.' });
  });

  it('falls back to front matter title, then to the file name', () => {
    expect(parseArticleMarkdown('x.md', '---\ntitle: "Из метаданных"\n---\nТекст').title).toBe('Из метаданных');
    expect(parseArticleMarkdown('dir/router-lights.md', 'Только текст').title).toBe('router lights');
  });

  it('keeps only web links and well-formed locales', () => {
    const parsed = parseArticleMarkdown('x.md', '---\nurl: javascript:alert(1)\nlocale: "en_US"\n---\n# T\nB');
    expect(parsed.url).toBeNull();
    expect(parsed.locale).toBe('en-us');
    expect(parseArticleMarkdown('x.md', '---\nurl: /help/x\n---\n# T').url).toBe('/help/x');
  });
});
