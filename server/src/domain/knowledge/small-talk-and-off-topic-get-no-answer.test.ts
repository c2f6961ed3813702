import { describe, expect, it } from 'vitest';
import { FIXTURE_ARTICLES } from './articles.fixture.ts';
import { buildKnowledgeIndex } from './index.ts';

describe('messages that are not questions for the knowledge base', () => {
  const index = buildKnowledgeIndex(FIXTURE_ARTICLES);

  it('greetings, thanks and farewells get no answer', () => {
    for (const message of ['Привет!', 'Добрый день', 'Спасибо, всё заработало', 'спасибо большое', 'Пока', 'ok thanks', 'hello', 'spasibo']) {
      expect(index.answer(message), message).toBeNull();
    }
  });

  it('off-topic questions get no answer', () => {
    for (const message of ['Какая погода в Москве?', 'Как приготовить борщ?', 'Кто выиграл чемпионат мира по футболу?', "What's the capital of Australia?"]) {
      expect(index.answer(message), message).toBeNull();
    }
  });

  it('a greeting in front of a real question does not stop the answer', () => {
    expect(index.answer('Здравствуйте! Как заморозить договор?')?.articleId).toBe('pause');
  });
});
