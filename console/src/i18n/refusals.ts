/**
 * What the console says when the server refuses a call. The server's refusals are English (they are the API's
 * words, for scripts and logs as much as for people); in Russian the console says the same thing: the refusals
 * operators meet in their work by their exact text, any other by its code, and a validation error with the
 * server's detail after a Russian lead-in, since the detail names the field at fault.
 */
import type { Language } from './dictionary.ts';
import { language, translate } from './index.ts';

export interface Refusal {
  code: string;
  message: string;
}

const RU_EXACT: Record<string, string> = {
  'No such conversation': 'Такого разговора нет',
  'This conversation is resolved': 'Разговор уже завершён',
  'Already resolved': 'Разговор уже завершён',
  'This conversation cannot be claimed': 'Этот разговор нельзя взять',
  'Claim the conversation first': 'Сначала возьмите разговор',
  'Only the operator answering it, or an admin of the site, may transfer it': 'Передать разговор может только отвечающий оператор или администратор сайта',
  'Only a waiting or taken conversation can be transferred': 'Передать можно только ожидающий или взятый разговор',
  'Only a waiting or taken conversation can be handed back': 'Вернуть боту можно только ожидающий или взятый разговор',
  'It is already theirs': 'Разговор уже у этого оператора',
  'The conversation changed meanwhile: open it again': 'Разговор изменился: откройте его ещё раз',
  'No open incident with this id': 'Такой открытой аварии нет',
  'No such site': 'Такого сайта нет',
  'You are not a member of any site yet': 'Вы пока не состоите ни в одном сайте',
  'No such operator': 'Такого оператора нет',
  'No such operator in this site': 'На этом сайте нет такого оператора',
  'No such member of this site': 'На этом сайте нет такого участника',
  'No such article': 'Такой статьи нет',
  'No such API key': 'Такого API-ключа нет',
  'No such canned response': 'Такого шаблона ответа нет',
  'This account no longer exists': 'Этой учётной записи больше нет',
  'A site keeps at least one admin: make someone else its admin first': 'У сайта должен остаться администратор: сначала назначьте другого',
  'An account with this email was created meanwhile: add it again': 'Учётную запись с этой почтой только что создали: добавьте её ещё раз',
  'This cursor is not one the server made; start from the first page': 'Список устарел: начните с первой страницы',
  'Telegram does not know this token: copy it again from @BotFather': 'Telegram не знает этот токен: скопируйте его из @BotFather ещё раз',
  'Telegram could not be reached to check the token; try again': 'Не удалось связаться с Telegram для проверки токена; попробуйте ещё раз',
};

/** Refusals that carry a name or a number: the pattern, and its Russian with the captured parts. */
const RU_PATTERNS: Array<[RegExp, (...parts: string[]) => string]> = [
  [/^Already taken by (.+)$/, (name) => translate('ru', 'conversation.alreadyTaken', { name })],
  [/^A site keeps at most (\d+) canned responses$/, (n) => `На сайте может быть не больше ${n} шаблонов ответов`],
];

const RU_BY_CODE: Record<string, string> = {
  not_found: 'Не найдено',
  already_claimed: 'Разговор уже взял другой оператор',
  not_owner: 'Это может сделать только оператор, который ведёт разговор',
  resolved: 'Разговор уже завершён',
  forbidden: 'Недостаточно прав для этого действия',
  conflict: 'Данные изменились: обновите и попробуйте ещё раз',
  unavailable: 'Сервер временно недоступен; попробуйте ещё раз',
  busy: 'Сервер занят; попробуйте через несколько секунд',
  rate_limited: 'Слишком много запросов; подождите немного',
  internal_error: 'Ошибка на сервере; попробуйте ещё раз',
};

export function refusalText(refusal: Refusal, lang: Language = language()): string {
  if (lang === 'en') return refusal.message;
  const exact = RU_EXACT[refusal.message];
  if (exact) return exact;
  for (const [pattern, say] of RU_PATTERNS) {
    const match = pattern.exec(refusal.message);
    if (match) return say(...match.slice(1));
  }
  if (refusal.code === 'validation_error') return `Проверьте данные: ${refusal.message}`;
  return RU_BY_CODE[refusal.code] ?? refusal.message;
}
