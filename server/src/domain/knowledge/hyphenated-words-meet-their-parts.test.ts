import { describe, expect, it } from 'vitest';
import { buildKnowledgeIndex } from './index.ts';

describe('hyphenated compounds', () => {
  const index = buildKnowledgeIndex([
    { id: 'ip', title: 'Белый IP-адрес', body: 'Статический IP-адрес подключается в личном кабинете за 150 ₽ в месяц.', url: null, locale: 'ru' },
    { id: 'tv', title: 'ТВ-пакеты', body: 'Пакет «Спорт» стоит 199 ₽ в месяц, «Кино» — 249 ₽.', url: null, locale: 'ru' },
    { id: 'wifi', title: 'Пароль Wi-Fi', body: 'Пароль от беспроводной сети меняется в настройках роутера.', url: null, locale: 'ru' },
  ]);

  it('meet the same words written apart, in either direction', () => {
    expect(index.search('как получить белый ip адрес', 1)[0]?.articleId).toBe('ip');
    expect(index.search('какие есть пакеты тв', 1)[0]?.articleId).toBe('tv');
  });

  it('stay one word when the lexicon writes them solid', () => {
    expect(index.search('пароль от wifi', 1)[0]?.articleId).toBe('wifi');
    expect(index.search('пароль от вай-фая', 1)[0]?.articleId).toBe('wifi');
  });
});
