import { describe, expect, it } from 'vitest';
import { looksLikeRejection } from './index.ts';

describe('looksLikeRejection', () => {
  it('recognizes a visitor turning an answer down, in Russian and English, however typed', () => {
    for (const text of [
      'не то',
      'Нет, это не то. Мне нужно другое',
      'это не ответ',
      'Не помогло',
      'ничего не помогает!',
      'вы меня не поняли',
      'я не об этом спрашивал',
      'not what I asked',
      "That's not it",
      "this doesn't help",
      'wrong answer',
      'ne to',
      'yt nj', // "не то" on the English layout
    ]) {
      expect(looksLikeRejection(text), text).toBe(true);
    }
  });

  it('leaves ordinary messages alone', () => {
    for (const text of [
      'Как заморозить договор?',
      'не то чтобы плохо, просто медленно',
      'у меня не тот тариф, что я выбирал',
      'спасибо, помогло!',
      'интернет не работает',
      'Ok, thanks',
      '',
    ]) {
      expect(looksLikeRejection(text), text).toBe(false);
    }
  });
});
