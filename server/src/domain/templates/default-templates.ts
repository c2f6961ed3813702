/**
 * The templates every new site starts with (seeded into the database, editable by admins).
 * Keys are the intent categories plus a few service keys the bot uses on its own:
 *   WELCOME            prefixed to the reply to a visitor's first message on the site (not after a resolved conversation)
 *   ESCALATION         an operator will join; {{wait_estimate}} when operators are online
 *   ESCALATION_OFFLINE nobody is online: say so and offer to leave an email
 *   ESCALATION_OFFLINE_NO_EMAIL  the same for a site that asks for no email (askEmailWhenOffline false)
 *   ESCALATION_REPEAT  the visitor asked the same thing again and again (priority HIGH)
 *   OUTAGE_KNOWN       a mass outage is open: "we know, we're on it"
 *   QUEUED             while waiting for an operator, instead of ordinary answers (once per burst)
 *   OPERATOR_JOINED    an operator claimed the conversation: {{operator_name}} as visitors see them (may be empty)
 *   CONTACT_SAVED      the visitor left an email while waiting: {{visitor_email}} is where we write
 *   RESOLVED           an operator closed the conversation; asks for a 1–5 rating
 *   HANDBACK           the operator handed the conversation back to the bot
 */
export type TemplateLibrary = Record<string, Record<'ru' | 'en', string[]>>;

export const DEFAULT_TEMPLATES: TemplateLibrary = {
  WELCOME: {
    ru: ['Здравствуйте! Это поддержка {{site_name}}.', 'Добрый день! Вас приветствует поддержка {{site_name}}.'],
    en: ['Hello! This is {{site_name}} support.', 'Hi there! You are chatting with {{site_name}} support.'],
  },
  GREETING: {
    ru: [
      'Здравствуйте, {{visitor_name}}! Чем могу помочь?',
      'Добрый день! Расскажите, что у вас случилось — помогу разобраться.',
      'Привет! Я на связи. Какой у вас вопрос?',
    ],
    en: ['Hello, {{visitor_name}}! How can I help you today?', 'Hi! Tell me what happened and I will help you sort it out.', 'Hey there! What can I do for you?'],
  },
  FAREWELL: {
    ru: ['Всего доброго! Если что-то понадобится — пишите, мы на связи.', 'До свидания! Хорошего дня.'],
    en: ['Goodbye! If you need anything else, just write — we are here.', 'Take care and have a great day!'],
  },
  THANKS: {
    ru: ['Рады помочь! Если появятся вопросы — пишите.', 'Пожалуйста! Обращайтесь в любое время.'],
    en: ['Glad I could help! Write any time if something comes up.', 'You are welcome! We are always here.'],
  },
  TECH_SUPPORT_BASIC: {
    ru: [
      'Давайте попробуем базовые шаги: выключите роутер из розетки на 30 секунд и включите снова, затем проверьте, горит ли индикатор интернета. Помогло?',
      'Чаще всего помогает перезагрузка роутера: отключите питание на полминуты. Если не поможет — проверьте кабель от подъезда до роутера и напишите, какие индикаторы горят.',
      'Попробуйте подключиться к роутеру кабелем напрямую — так станет понятно, дело в Wi‑Fi или в линии. Расскажите, что получилось.',
    ],
    en: [
      'Let us try the basics: unplug the router for 30 seconds, plug it back in, and check the internet light. Did that help?',
      'A router restart fixes most issues: power it off for half a minute. If it does not help, check the cable into the router and tell me which lights are on.',
      'Try connecting to the router with a cable — that tells us whether it is the Wi‑Fi or the line. Let me know what you see.',
    ],
  },
  OUTAGE_REPORT: {
    ru: [
      'Понимаю, связи нет совсем — это неприятно. Проверяю, нет ли аварии в вашем районе. Подскажите, пожалуйста, адрес подключения.',
      'Сожалею о перебоях! Уточните адрес и с какого времени нет связи — проверим линию.',
    ],
    en: [
      'I understand the connection is down completely — sorry about that. I am checking for an outage in your area; could you tell me your service address?',
      'Sorry for the interruption! Please share your address and since when the service is down — we will check the line.',
    ],
  },
  OUTAGE_KNOWN: {
    ru: [
      'Мы знаем о массовой аварии и уже работаем над восстановлением. Как только связь вернётся, мы напишем вам здесь.',
      'Это массовая авария, бригада уже работает. Мы сообщим вам, как только всё заработает.',
    ],
    en: [
      'We know about a wide outage and are already working on it. We will message you here as soon as the service is back.',
      'This is a known outage and our engineers are on it. We will let you know the moment it is fixed.',
    ],
  },
  BILLING: {
    ru: [
      'По вопросам оплаты: баланс, счета и история платежей есть в личном кабинете. Тарифы — в разделе «Тарифы» на сайте. Что именно хотите уточнить?',
      'Подскажу по оплате и тарифам. Напишите, что интересует: стоимость, списание или способ оплаты?',
    ],
    en: [
      'For billing: your balance, invoices and payment history are in your account. Plans are listed under "Plans" on the site. What would you like to check?',
      'Happy to help with payments and plans. Is it about a price, a charge, or a way to pay?',
    ],
  },
  ACCOUNT: {
    ru: [
      'Данные аккаунта можно изменить в личном кабинете, раздел «Профиль». Если не получается войти — воспользуйтесь «Забыли пароль?». Что нужно сделать?',
      'Помогу с аккаунтом. Скажите, что требуется: вход, смена пароля, персональные данные или договор?',
    ],
    en: [
      'You can change your account details in your profile. If you cannot log in, use "Forgot password?". What do you need to do?',
      'I can help with your account: login, password, personal details or the contract — which one is it?',
    ],
  },
  COMPLAINT: {
    ru: [
      'Мне очень жаль, что так вышло. Передаю ваше обращение старшему специалисту — он свяжется с вами в ближайшее время.',
      'Приносим извинения за неудобства. Ваше обращение передано сотруднику, он разберётся лично.',
    ],
    en: [
      'I am really sorry about this. I am passing your message to a senior specialist who will get back to you shortly.',
      'We apologise for the trouble. Your message has been handed to a team member who will look into it personally.',
    ],
  },
  HUMAN_REQUEST: {
    ru: ['Конечно, зову оператора. Пожалуйста, оставайтесь в чате.', 'Хорошо, подключаю специалиста — подождите немного.'],
    en: ['Of course — I am calling an operator. Please stay in the chat.', 'Sure, connecting you to a specialist — one moment please.'],
  },
  UNKNOWN: {
    ru: [
      'Извините, я не совсем понял вопрос. Можете описать подробнее?',
      'Уточните, пожалуйста: вопрос про интернет, оплату или личный кабинет?',
    ],
    en: ['Sorry, I did not quite get that. Could you describe it in more detail?', 'Could you clarify — is it about the internet, a payment, or your account?'],
  },
  ESCALATION: {
    ru: [
      'Передаю разговор оператору — он подключится к чату примерно через {{wait_estimate}}.',
      'Я позвал специалиста, он ответит здесь же примерно через {{wait_estimate}}.',
    ],
    en: ['I am handing the conversation to an operator — they will join in about {{wait_estimate}}.', 'A specialist will reply right here in about {{wait_estimate}}.'],
  },
  ESCALATION_OFFLINE: {
    ru: [
      'Сейчас все операторы заняты или не в сети. Оставьте, пожалуйста, ваш email — мы ответим, как только освободимся.',
    ],
    en: ['No operators are online right now. Please leave your email and we will get back to you as soon as we can.'],
  },
  ESCALATION_OFFLINE_NO_EMAIL: {
    ru: ['Сейчас все операторы заняты или не в сети. Оператор ответит здесь же, как только освободится.'],
    en: ['No operators are online right now. An operator will answer right here as soon as they can.'],
  },
  ESCALATION_REPEAT: {
    ru: ['Вижу, что вопрос так и не решён — простите, что не смог помочь сам.', 'Похоже, мои ответы не помогли — извините.'],
    en: ['I can see this is still not solved — sorry I could not help myself.', 'It looks like my answers did not help — sorry about that.'],
  },
  CONTACT_SAVED: {
    ru: ['Спасибо, записал ваш адрес {{visitor_email}}. Оператор ответит здесь, а если не успеет — напишет на почту.'],
    en: ['Thank you, I have noted {{visitor_email}}. An operator will answer here, or write to you there if they cannot.'],
  },
  QUEUED: {
    ru: ['Ваше сообщение передано оператору, он ответит здесь же.'],
    en: ['Your message has been passed to the operator, who will reply right here.'],
  },
  OPERATOR_JOINED: {
    // "на связи", not "подключился/подключилась": the operator's gender is not known.
    ru: ['Оператор {{operator_name}} на связи и уже читает переписку.'],
    en: ['Operator {{operator_name}} has joined the chat and is reading the conversation.'],
  },
  RESOLVED: {
    ru: ['Оператор завершил разговор. Оцените, пожалуйста, помощь от 1 до 5.'],
    en: ['The operator has closed the conversation. Please rate the help from 1 to 5.'],
  },
  HANDBACK: {
    ru: ['Оператор вернул разговор боту. Если понадобится человек — просто напишите об этом.'],
    en: ['The operator handed the conversation back to the bot. If you need a person again, just say so.'],
  },
};
