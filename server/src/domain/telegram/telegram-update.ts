/**
 * What one Telegram update means for the chat, decided from the update alone: a text message,
 * `/start`, something the bot cannot read (a photo, a sticker, a voice message …), an answer to
 * the rating keyboard, or nothing we handle. Anything that does not look like a Bot API update
 * is `malformed` (the webhook answers 200 and logs it: Telegram would re-send it otherwise).
 */
import { z } from 'zod';

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(16).optional(),
});

const chat = z.object({ id: z.number().int(), type: z.string().max(32) });

const message = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  chat,
  text: z.string().max(8192).optional(),
  photo: z.array(z.unknown()).optional(),
  sticker: z.unknown().optional(),
  voice: z.unknown().optional(),
  video: z.unknown().optional(),
  video_note: z.unknown().optional(),
  audio: z.unknown().optional(),
  document: z.unknown().optional(),
  animation: z.unknown().optional(),
  location: z.unknown().optional(),
  contact: z.unknown().optional(),
});

const update = z.object({
  update_id: z.number().int(),
  message: message.optional(),
  callback_query: z
    .object({
      id: z.string().max(64),
      from: user,
      message: z.object({ message_id: z.number().int(), chat }).optional(),
      data: z.string().max(64).optional(),
    })
    .optional(),
});

/** The Telegram user as operators see them: "Анна Петрова (@anna)". */
export interface TelegramSender {
  chatId: string;
  displayName: string | null;
  languageCode: string | null;
}

/** What a message that is not text is shown as to operators. */
export type MediaKind = 'photo' | 'sticker' | 'voice' | 'video' | 'audio' | 'document' | 'animation' | 'location' | 'contact' | 'video_note';
const MEDIA: readonly MediaKind[] = ['photo', 'sticker', 'voice', 'video_note', 'video', 'audio', 'animation', 'document', 'location', 'contact'];

export type TelegramEvent =
  | { kind: 'text'; updateId: number; messageId: number; sender: TelegramSender; text: string }
  | { kind: 'start'; updateId: number; messageId: number; sender: TelegramSender }
  | { kind: 'media'; updateId: number; messageId: number; sender: TelegramSender; media: MediaKind }
  | { kind: 'rating'; updateId: number; callbackId: string; sender: TelegramSender; conversationId: string; score: number }
  | { kind: 'callback'; updateId: number; callbackId: string }
  | { kind: 'ignored'; updateId: number; reason: string }
  | { kind: 'malformed'; reason: string };

const RATING_DATA = /^rate:([0-9a-f-]{36}):([1-5])$/;

export function readUpdate(raw: unknown): TelegramEvent {
  const parsed = update.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: 'malformed', reason: `${issue.path.join('.') || 'update'}: ${issue.message}` };
  }
  const u = parsed.data;
  if (u.callback_query) {
    const q = u.callback_query;
    const rating = RATING_DATA.exec(q.data ?? '');
    const chatId = q.message?.chat.id ?? q.from.id;
    if (!rating) return { kind: 'callback', updateId: u.update_id, callbackId: q.id };
    return { kind: 'rating', updateId: u.update_id, callbackId: q.id, sender: senderOf(q.from, chatId), conversationId: rating[1]!, score: Number(rating[2]) };
  }
  const m = u.message;
  if (!m) return { kind: 'ignored', updateId: u.update_id, reason: 'not a message' };
  // Groups and channels are not support conversations: one person per chat.
  if (m.chat.type !== 'private') return { kind: 'ignored', updateId: u.update_id, reason: `a ${m.chat.type} chat` };
  const sender = senderOf(m.from, m.chat.id);
  const text = m.text?.trim();
  if (text) {
    if (/^\/start(@\w+)?(\s|$)/.test(text)) return { kind: 'start', updateId: u.update_id, messageId: m.message_id, sender };
    return { kind: 'text', updateId: u.update_id, messageId: m.message_id, sender, text };
  }
  const media = MEDIA.find((kind) => m[kind] !== undefined);
  if (media) return { kind: 'media', updateId: u.update_id, messageId: m.message_id, sender, media };
  return { kind: 'ignored', updateId: u.update_id, reason: 'an empty message' };
}

function senderOf(from: z.infer<typeof user> | undefined, chatId: number): TelegramSender {
  const name = [from?.first_name, from?.last_name].filter(Boolean).join(' ').trim();
  const handle = from?.username ? `@${from.username}` : '';
  const displayName = name && handle ? `${name} (${handle})` : name || handle || null;
  return { chatId: String(chatId), displayName: displayName?.slice(0, 120) ?? null, languageCode: from?.language_code ?? null };
}

/** The conversation's language from the user's Telegram app language. */
export function telegramLocale(languageCode: string | null): 'ru' | 'en' | null {
  if (!languageCode) return null;
  return /^(ru|uk|be|kk)\b/i.test(languageCode) ? 'ru' : 'en';
}
