import { describe, expect, it } from 'vitest';
import { asksForHuman, complainsOutright } from './explicit-signals.ts';

describe('asksForHuman: the visitor asks for a person outright', () => {
  it.each([
    'оператора!',
    'позовите оператора пожалуйста',
    'соедините с живым человеком',
    'хочу поговорить с менеджером',
    'можно с человеком пообщаться?',
    'не хочу общаться с ботом',
    'человека дайте',
    'operatora pozovite',
    'zhivogo cheloveka pozhaluista',
    'talk to a human',
    'can I speak to a real person?',
    'connect me to an agent',
    'human please',
    'I want a representative',
    'no bot, a live agent',
  ])('%s', (text) => expect(asksForHuman(text)).toBe(true));

  it.each([
    'вопрос номер 1',
    'ваши операторы хамят',
    'какой у вас мобильный оператор?',
    'тариф для семьи из 4 человек',
    'нужен специалист настроить роутер',
    'how do I connect to wifi',
    'I live in a flat on the 5th floor',
    'are there any discounts for people over 65?',
  ])('not: %s', (text) => expect(asksForHuman(text)).toBe(false));
});

describe('complainsOutright: a complaint said in so many words', () => {
  it.each([
    'буду жаловаться в роспотребнадзор',
    'хочу оставить жалобу на мастера',
    'вы мошенники',
    'это беспредел',
    'I want to file a complaint',
    'you are a bunch of scammers',
    'this is unacceptable',
    'ОТВРАТИТЕЛЬНО, СКОЛЬКО МОЖНО',
    'WORST SERVICE EVER, I HATE THIS',
    'vy moshenniki',
  ])('%s', (text) => expect(complainsOutright(text)).toBe(true));

  it.each([
    'ужасно медленный интернет вечером',
    'sorry for the stupid question, how do I pay?',
    'интернет не работает',
    'how do I pay my bill',
    'the signal is terrible in the bedroom',
    'спасибо огромное',
  ])('not: %s', (text) => expect(complainsOutright(text)).toBe(false));
});
