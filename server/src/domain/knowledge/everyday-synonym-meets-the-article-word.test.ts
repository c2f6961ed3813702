import { describe, expect, it } from 'vitest';
import { buildKnowledgeIndex, type KnowledgeArticleInput } from './index.ts';

// Articles of a business the help-center lexicon was not written for (a gym and a repair shop).
const ARTICLES: KnowledgeArticleInput[] = [
  {
    id: 'membership-freeze',
    title: 'Заморозка абонемента',
    body: 'Абонемент можно заморозить один раз в год на срок от 7 до 30 дней. Заявление на заморозку подают на ресепшене или в приложении клуба. На время заморозки срок действия абонемента продлевается.',
    url: null,
    locale: 'ru',
  },
  {
    id: 'laptop-repair',
    title: 'Ремонт компьютеров и ноутбуков',
    body: 'Мы чиним компьютеры и ноутбуки любых марок. Диагностика бесплатная и занимает один рабочий день. Стоимость ремонта мастер называет после диагностики, до начала работ.',
    url: null,
    locale: 'ru',
  },
  {
    id: 'opening-hours',
    title: 'Часы работы клуба',
    body: 'Клуб открыт в будни с 7:00 до 23:00, в выходные с 9:00 до 21:00. В праздничные дни расписание публикуется заранее.',
    url: null,
    locale: 'ru',
  },
  {
    id: 'account-access',
    title: 'Вход в приложение',
    body: 'Пароль от приложения клуба можно восстановить по ссылке из письма. Ссылка действует сутки.',
    url: null,
    locale: 'ru',
  },
  {
    id: 'app-fault',
    title: 'Приложение клуба не работает',
    body: 'Если приложение клуба не работает, обновите его до последней версии и войдите заново.',
    url: null,
    locale: 'ru',
  },
];

describe('a question worded with an everyday synonym of the article word', () => {
  const index = buildKnowledgeIndex(ARTICLES);

  // Each question's only content word is the synonym: without it, nothing is found at all.
  it('meets the article: English "membership" finds "абонемент"', () => {
    expect(index.search('Do you have a membership?', 1)[0]?.articleId).toBe('membership-freeze');
  });

  it('meets the article: colloquial "комп" finds "компьютер"', () => {
    expect(index.search('а комп?', 1)[0]?.articleId).toBe('laptop-repair');
  });

  it('meets the article: English "weekdays" finds "будни"', () => {
    expect(index.search('What about weekdays?', 1)[0]?.articleId).toBe('opening-hours');
  });

  it('meets the article: the imperfective "восстанавливать" finds the perfective "восстановить"', () => {
    expect(index.search('восстанавливать?', 1)[0]?.articleId).toBe('account-access');
  });

  it('meets the article: "сломался" finds "не работает"', () => {
    expect(index.search('сломался?', 1)[0]?.articleId).toBe('app-fault');
  });

  it('finds nothing for a question whose only word neither the articles nor the lexicon know', () => {
    expect(index.search('Do you have a trampoline?', 1)).toEqual([]);
  });
});
