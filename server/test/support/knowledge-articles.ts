/** Knowledge-base articles the knowledge tests save, and how a quoted passage is checked against one. */
import type { KnowledgeArticleInput } from '@support-chat/protocol';

export const PAYMENT: KnowledgeArticleInput = {
  slug: 'payment-methods',
  title: 'Способы оплаты',
  url: 'https://help.example.net/payment',
  locale: 'ru',
  body: [
    '# Способы оплаты',
    '',
    'Оплатить интернет можно банковской картой в личном кабинете, через СБП по QR-коду или в терминалах партнёров.',
    '',
    '## Система быстрых платежей',
    '',
    'Через СБП деньги поступают на баланс мгновенно, комиссии нет. QR-код для оплаты есть в разделе «Баланс» личного кабинета.',
    '',
    '## Автоплатёж',
    '',
    'Автоплатёж списывает абонентскую плату с привязанной карты первого числа каждого месяца. Отключить его можно в любой момент.',
  ].join('\n'),
};

/** An article as plain text with single spaces: a quoted passage must be a piece of it. */
export const plain = (body: string) => body.replace(/^#+\s*/gm, '').replace(/\s+/g, ' ').trim();
