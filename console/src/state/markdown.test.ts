import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown.ts';

describe('parseMarkdown', () => {
  it('splits headings, paragraphs and lists, joining a paragraph’s lines', () => {
    const blocks = parseMarkdown('# Тарифы\n\nБазовый тариф\nстоит 500 ₽.\n\n- Домашний\n- Быстрый\n  с роутером\n\n2. второй\n3. третий');
    expect(blocks).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Тарифы' }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'Базовый тариф стоит 500 ₽.' }] },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [[{ type: 'text', text: 'Домашний' }], [{ type: 'text', text: 'Быстрый с роутером' }]],
      },
      { type: 'list', ordered: true, start: 2, items: [[{ type: 'text', text: 'второй' }], [{ type: 'text', text: 'третий' }]] },
    ]);
  });

  it('ends a paragraph at a heading or a list without a blank line', () => {
    expect(parseMarkdown('text\n## Sub\n* item').map((b) => b.type)).toEqual(['paragraph', 'heading', 'list']);
  });

  it('keeps fenced code verbatim and reads "- - -" as a rule, not an item', () => {
    expect(parseMarkdown('```\n**not bold** <b>\n```\n- - -')).toEqual([{ type: 'code', text: '**not bold** <b>' }, { type: 'rule' }]);
  });

  it('leaves HTML in an article as text', () => {
    const body = '<img src=x onerror="alert(1)"> <script>alert(2)</script>';
    expect(parseMarkdown(body)).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: body }] }]);
  });
});

describe('parseInline', () => {
  it('reads bold, italic and code, nested', () => {
    expect(parseInline('**Цена: _500 ₽_** в `месяц`')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'Цена: ' }, { type: 'em', children: [{ type: 'text', text: '500 ₽' }] }] },
      { type: 'text', text: ' в ' },
      { type: 'code', text: 'месяц' },
    ]);
  });

  it('makes links of http(s) targets only; any other target leaves the label as text', () => {
    const mixed = parseInline('[Тарифы](https://example.com/t) и [тут](javascript:alert(1))');
    expect(mixed[0]).toEqual({ type: 'link', href: 'https://example.com/t', children: [{ type: 'text', text: 'Тарифы' }] });
    expect(mixed.slice(1).map((n) => n.type)).not.toContain('link');
    expect(mixed.slice(1).map((n) => (n.type === 'text' ? n.text : '')).join('')).toBe(' и тут)');
    expect(parseInline('[x](data:text/html,hi) [y](HTTP://EXAMPLE.COM)')).toEqual([
      { type: 'text', text: 'x' },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'HTTP://EXAMPLE.COM', children: [{ type: 'text', text: 'y' }] },
    ]);
  });

  it('leaves snake_case, lone stars, spaced markers and escapes as text', () => {
    expect(parseInline('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ type: 'text', text: '2 * 3 * 4' }]);
    expect(parseInline('\\*not\\* **')).toEqual([{ type: 'text', text: '*not* **' }]);
  });
});
