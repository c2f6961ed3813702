import { describe, expect, it } from 'vitest';
import { looksLikeFollowUp } from './follow-up.ts';
import { smallTalk } from './small-talk.ts';

describe('smallTalk: messages that are only thanks, goodbye, hello or "ok"', () => {
  it.each([
    ['спасибо большое!', 'THANKS'],
    ['спасибо огромное 🙂', 'THANKS'],
    ['spasibo bolshoe', 'THANKS'],
    ['thanks a lot', 'THANKS'],
    ['thank you so much!!!', 'THANKS'],
    ['спс', 'THANKS'],
    ['привет, спасибо', 'THANKS'],
    ['спасибо, до свидания', 'FAREWELL'],
    ['пока', 'FAREWELL'],
    ['good night', 'FAREWELL'],
    ['bye!', 'FAREWELL'],
    ['добрый вечер', 'GREETING'],
    ['good morning', 'GREETING'],
    ['privet', 'GREETING'],
    ['ок, понятно', 'ACKNOWLEDGEMENT'],
    ['got it', 'ACKNOWLEDGEMENT'],
  ])('%s → %s', (text, kind) => expect(smallTalk(text)).toBe(kind));

  it.each(['спасибо, но интернета всё ещё нет', 'thanks, and how do I pay?', 'нет связи', 'ок, а когда начнёт действовать?', 'привет, не работает wifi', ''])(
    'not: %s',
    (text) => expect(smallTalk(text)).toBeNull(),
  );
});

describe('looksLikeFollowUp: short enough to continue the conversation', () => {
  it.each(['а скорость какая?', 'а через сбп можно?', 'and the installation fee?', 'ок, а когда начнёт действовать?', 'роутер tp-link archer'])('%s', (text) =>
    expect(looksLikeFollowUp(text)).toBe(true),
  );

  it.each([
    'у меня с утра не работает интернет, роутер перезагружал дважды, индикатор мигает красным',
    'ъъъ ыыы',
    '???',
    'ок',
  ])('not: %s', (text) => expect(looksLikeFollowUp(text)).toBe(false));
});
