import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('a Russian question typed on the English keyboard layout', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('is re-typed and answered', () => {
    // "как заморозить договор", "как оплатить"
    expect(index.answer('rfr pfvjhjpbnm ljujdjh')?.articleId).toBe('pause');
    expect(index.answer('rfr jgkfnbnm')?.articleId).toBe('payment');
  });

  it('keeps a real acronym the articles use instead of re-typing it', () => {
    const index = buildKnowledgeIndex([
      ...FIXTURE_ARTICLES,
      { id: 'dhcp', title: 'Настройка DHCP', body: 'Включите DHCP в настройках роутера, чтобы устройства получали адрес сами.', url: null, locale: 'ru' },
    ]);
    expect(index.search('dhcp', 1)[0]?.articleId).toBe('dhcp');
  });
});
