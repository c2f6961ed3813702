/**
 * Markdown article → plain text plus the blocks it is made of. Answers quote the plain text
 * verbatim (a slice of `text`), so every offset here points into that one string: the visitor
 * reads the site owner's words with only the markup taken away.
 */

export type BlockKind = 'heading' | 'paragraph' | 'item' | 'row' | 'code';

export interface Block {
  kind: BlockKind;
  /** Offsets into PlainArticle.text. */
  start: number;
  end: number;
}

export interface PlainArticle {
  text: string;
  blocks: Block[];
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;
const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$/;
const TABLE_ROW = /^\s*\|(.*)\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const FENCE = /^\s*(```|~~~)/;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–', hellip: '…',
};

/** Inline Markdown/HTML → the words a reader sees. */
export function stripInline(text: string): string {
  return (
    text
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<br\s*\/?>/gi, ' ')
      // Autolinks show their address.
      .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/gi, '$1')
      .replace(/<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/gi, '')
      // Images and links keep their visible text; reference-style links too.
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(\*{1,3}|_{1,3}|~~)(?=\S)([\s\S]*?\S)\1(?![\p{L}\p{N}])/gu, '$2')
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
      .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, body: string) => {
        if (body[0] !== '#') return ENTITIES[body.toLowerCase()] ?? whole;
        const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      })
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function markdownToPlain(markdown: string): PlainArticle {
  const pieces: Array<{ kind: BlockKind; text: string }> = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let item: string[] | null = null;
  let code: string[] | null = null;

  const flush = (): void => {
    if (paragraph.length > 0) pieces.push({ kind: 'paragraph', text: stripInline(paragraph.join(' ')) });
    if (item) pieces.push({ kind: 'item', text: stripInline(item.join(' ')) });
    paragraph = [];
    item = null;
  };

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (code) {
      if (FENCE.test(line)) {
        pieces.push({ kind: 'code', text: code.join('\n').trim() });
        code = null;
      } else code.push(line.replace(/\s+$/, ''));
      continue;
    }
    if (FENCE.test(line)) {
      flush();
      code = [];
      continue;
    }
    if (line.trim() === '' || RULE.test(line)) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      pieces.push({ kind: 'heading', text: stripInline(heading[2]!) });
      continue;
    }
    // "Title\n=====": the paragraph line above becomes a heading.
    if (SETEXT_UNDERLINE.test(line) && paragraph.length === 1 && !item) {
      pieces.push({ kind: 'heading', text: stripInline(paragraph[0]!) });
      paragraph = [];
      continue;
    }
    if (TABLE_SEPARATOR.test(line) && line.includes('-') && line.includes('|')) continue;
    const row = TABLE_ROW.exec(line);
    if (row) {
      flush();
      // Cells read as one line: "Старт — 100 Мбит/с — 450 ₽".
      const cells = row[1]!.split(/(?<!\\)\|/).map((cell) => stripInline(cell)).filter(Boolean);
      if (cells.length > 0) pieces.push({ kind: 'row', text: cells.join(' — ') });
      continue;
    }
    const listItem = LIST_ITEM.exec(line);
    if (listItem) {
      flush();
      item = [listItem[1]!];
      continue;
    }
    const text = line.replace(/^\s*>+\s?/, '');
    // An indented line continues the list item above; anything else starts or continues a paragraph.
    if (item && /^\s+\S/.test(line)) item.push(text);
    else {
      if (item) flush();
      paragraph.push(text);
    }
  }
  if (code) pieces.push({ kind: 'code', text: code.join('\n').trim() });
  flush();

  let text = '';
  const blocks: Block[] = [];
  for (const piece of pieces) {
    if (piece.text === '') continue;
    if (text !== '') text += '\n';
    blocks.push({ kind: piece.kind, start: text.length, end: text.length + piece.text.length });
    text += piece.text;
  }
  return { text, blocks };
}
