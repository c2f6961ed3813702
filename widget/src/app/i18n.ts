/** Interface strings; the page language picks the set (`<html lang>`), Russian or English. */
export interface Strings {
  title: string;
  dialog: string;
  openChat: string;
  closeChat: string;
  log: string;
  message: string;
  placeholder: string;
  send: string;
  typing: string;
  sending: string;
  sent: string;
  failed: string;
  retry: string;
  /** A rate-limited message: `{s}` is the seconds until the server takes messages again. */
  tooManyMessages: string;
  /** The header while waiting for an operator: `{n}` the place in the queue, `{m}` the usual minutes. */
  waiting: string;
  place: string;
  usual: string;
  online: string;
  botOnly: string;
  offline: string;
  connecting: string;
  /** The server will not take the chat on this page (the site's owner has to allow it). */
  unavailable: string;
  you: string;
  bot: string;
  operator: string;
  welcome: string;
  rateQuestion: string;
  /** Accessible name of rating button n: `${n} ${rateOf5}`. */
  rateOf5: string;
  rateThanks: string;
  newMessage: string;
  /** Before the article title under a knowledge-base answer. */
  source: string;
}

const ru: Strings = {
  title: 'Поддержка',
  dialog: 'Чат поддержки',
  openChat: 'Открыть чат',
  closeChat: 'Закрыть чат',
  log: 'Сообщения',
  message: 'Сообщение',
  placeholder: 'Напишите сообщение…',
  send: 'Отправить',
  typing: 'Печатает…',
  sending: 'Отправляется…',
  sent: 'Доставлено',
  failed: 'Не отправлено',
  retry: 'Повторить',
  tooManyMessages: 'Вы пишете слишком часто — можно снова через {s} с',
  waiting: 'Ждём оператора',
  place: 'вы {n}-й в очереди',
  usual: 'обычно отвечают за ~{m} мин',
  online: 'Операторы на связи',
  botOnly: 'Отвечает бот',
  offline: 'Нет соединения',
  connecting: 'Подключение…',
  unavailable: 'Чат недоступен на этом сайте',
  you: 'Вы',
  bot: 'Бот',
  operator: 'Оператор',
  welcome: 'Здравствуйте! Напишите вопрос — ответим здесь же.',
  rateQuestion: 'Оцените, пожалуйста, помощь',
  rateOf5: 'из 5',
  rateThanks: 'Спасибо за оценку!',
  newMessage: 'Новое сообщение',
  source: 'Источник',
};

const en: Strings = {
  title: 'Support',
  dialog: 'Support chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  log: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  typing: 'typing…',
  sending: 'Sending…',
  sent: 'Delivered',
  failed: 'Not sent',
  retry: 'Retry',
  tooManyMessages: 'You are writing too fast — you can send again in {s} s',
  waiting: 'Waiting for an operator',
  place: 'you are #{n} in the queue',
  usual: 'usually answered in ~{m} min',
  online: 'Operators online',
  botOnly: 'Bot is answering',
  offline: 'No connection',
  connecting: 'Connecting…',
  unavailable: 'Chat is not available on this site',
  you: 'You',
  bot: 'Bot',
  operator: 'Operator',
  welcome: 'Hello! Ask your question and we will answer right here.',
  rateQuestion: 'How did we do?',
  rateOf5: 'of 5',
  rateThanks: 'Thank you for the rating!',
  newMessage: 'New message',
  source: 'Source',
};

export function pickStrings(lang: string): Strings {
  return lang.toLowerCase().startsWith('ru') ? ru : en;
}
