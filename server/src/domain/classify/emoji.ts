/**
 * Emoji and emoticons carry intent (😡 next to a complaint, 🙏 after help, 👋 at either end of a
 * chat), so instead of being stripped they become word-like shortcodes (":angry:") that the
 * feature extractor treats as single tokens. Unlisted pictographs collapse into ":emoji:".
 */

const EMOJI_MOODS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['angry', ['😡', '🤬', '😠', '👿', '💢', '🖕', '😤', '💩', '🤮', '🤢']],
  ['sad', ['😢', '😭', '😞', '😔', '☹', '🙁', '😩', '😫', '😿', '💔', '😒', '🙄', '😕']],
  ['happy', ['😊', '🙂', '😀', '😃', '😄', '😁', '😆', '😉', '🥰', '😍', '❤', '♥', '💖', '💕', '🤗', '😌', '🥳', '🎉', '😎', '✨', '🌞']],
  ['thumbsup', ['👍', '👌', '✅', '💪', '🔥', '💯', '🆗']],
  ['thumbsdown', ['👎', '❌']],
  ['pray', ['🙏', '🤝']],
  ['wave', ['👋', '🖐', '✋']],
  ['laugh', ['😂', '🤣', '😅', '😹']],
  ['confused', ['🤔', '😐', '😑', '🤷', '😶', '❓', '❔']],
  ['shocked', ['😱', '😨', '😳', '😲', '🤯']],
];

const EMOJI_TO_MOOD = new Map<string, string>(
  EMOJI_MOODS.flatMap(([mood, emojis]) => emojis.map((emoji) => [emoji, mood] as const)),
);

// Variation selectors, skin tones and joiners only restyle the emoji before them.
const EMOJI_MODIFIERS = /[\u{FE0E}\u{FE0F}\u{1F3FB}-\u{1F3FF}\u{200D}]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/gu;

// Russian chats smile with bare brackets: "спасибо)))", "ну вот(".
const EMOTICONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\s)>:-?\(+/g, ' :angry: '],
  [/(^|\s)[:;=]-?[)D]+|\){2,}|(?<=\p{L})\)(?=\s*$)/gu, ' :happy: '],
  [/(^|\s)[:;=]-?\(+|\({2,}|(?<=\p{L})\((?=\s*$)/gu, ' :sad: '],
  [/(^|\s)[:;=]-?[pP]\b/g, ' :laugh: '],
  [/<3/g, ' :happy: '],
];

/** Replaces emoticons and emoji with ":mood:" shortcodes, surrounded by spaces. */
export function emojiToShortcodes(text: string): string {
  let out = text;
  for (const [pattern, code] of EMOTICONS) out = out.replace(pattern, code);
  out = out.replace(EMOJI_MODIFIERS, '');
  return out.replace(PICTOGRAPH, (emoji) => ` :${EMOJI_TO_MOOD.get(emoji) ?? 'emoji'}: `);
}

export const SHORTCODE = /^:[a-z]+:$/;
