/**
 * The words and keyboards only the Telegram channel needs: the "text only" notice, the rating
 * request's inline keyboard, and what operators see for a message that is not text.
 */
import type { MediaKind } from './telegram-update.ts';

const TEXT_ONLY = {
  ru: 'Извините, пока я умею читать только текст. Опишите, пожалуйста, вопрос словами.',
  en: 'Sorry, I can read text only for now. Please describe your question in words.',
};

const RATING_PROMPT = {
  ru: 'Оцените, пожалуйста, как мы вам помогли:',
  en: 'Please rate how we helped you:',
};

const RATING_THANKS = { ru: 'Спасибо за оценку!', en: 'Thank you for your rating!' };

export const textOnlyNotice = (locale: 'ru' | 'en') => TEXT_ONLY[locale];
export const ratingPrompt = (locale: 'ru' | 'en') => RATING_PROMPT[locale];
export const ratingThanks = (locale: 'ru' | 'en') => RATING_THANKS[locale];

/** Shown to operators in place of the message: "[photo]". */
export const mediaPlaceholder = (media: MediaKind) => `[${media.replace('_', ' ')}]`;

/** 1–5 buttons under the rating request; the callback data names the conversation (≤ 64 bytes). */
export function ratingKeyboard(conversationId: string) {
  return { inline_keyboard: [[1, 2, 3, 4, 5].map((n) => ({ text: '★'.repeat(n), callback_data: `rate:${conversationId}:${n}` }))] };
}
