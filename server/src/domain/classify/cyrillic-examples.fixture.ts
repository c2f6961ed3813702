import type { LabelledExample } from './local-model.ts';

/**
 * A small Cyrillic-only training set for unit tests of the model mechanics: tests train on it in
 * milliseconds and can be sure that anything Latin they classify was never seen.
 */
const BY_CATEGORY: Record<string, string[]> = {
  GREETING: ['привет', 'здравствуйте', 'добрый день', 'добрый вечер', 'доброе утро', 'приветствую вас'],
  THANKS: ['спасибо', 'спасибо большое', 'благодарю', 'огромное спасибо за помощь', 'спасибо, помогло'],
  FAREWELL: ['пока', 'до свидания', 'всего доброго', 'до встречи', 'хорошего дня, пока'],
  TECH_SUPPORT_BASIC: [
    'интернет не работает',
    'медленный интернет',
    'роутер не раздает вайфай',
    'как настроить роутер',
    'высокий пинг в играх',
    'интернет постоянно пропадает',
  ],
  BILLING: ['сколько стоит тариф', 'как оплатить интернет', 'какой у меня баланс', 'списали деньги дважды', 'нужен счет на оплату'],
  HUMAN_REQUEST: ['позовите оператора', 'хочу поговорить с человеком', 'соедините с оператором', 'дайте живого человека'],
  UNKNOWN: ['какая погода завтра', 'расскажи анекдот', 'ааа', 'кто выиграл футбол', 'напиши стих'],
};

export const CYRILLIC_EXAMPLES: LabelledExample[] = Object.entries(BY_CATEGORY).flatMap(([label, texts]) =>
  texts.map((text) => ({ text, label: label as LabelledExample['label'], lang: 'ru' })),
);
