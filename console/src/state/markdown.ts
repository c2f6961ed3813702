/**
 * The small Markdown subset knowledge articles are previewed in: headings, paragraphs, lists,
 * fenced code, rules; inline bold, italic, code and http(s) links. It parses into a tree of
 * plain objects that the preview renders as Preact elements, so no text ever becomes HTML: a
 * `<script>` in an article is shown as the characters it is. Hand-written rather than a library
 * because the usual ones (marked, markdown-it) produce HTML strings, and the AST ones (remark)
 * weigh more than the whole console for the handful of constructs articles use.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `href` is always http(s): any other link stays its label, as text. */
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'rule' };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BLANK = /^\s*$/;

/** True for the only link targets the preview makes clickable. */
export function isHttpUrl(href: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(href);
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++; // the closing fence (or the end of the text)
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    // A rule before lists: "- - -" and "* * *" are rules, not items.
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6, children: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const itemRe = ordered ? NUMBERED : BULLET;
      const texts: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const item = itemRe.exec(current);
        if (item && !RULE.test(current)) {
          texts.push(item[ordered ? 2 : 1]!);
        } else if (!BLANK.test(current) && /^\s/.test(current) && texts.length > 0) {
          // An indented line continues the item above it.
          texts[texts.length - 1] += ` ${current.trim()}`;
        } else {
          break;
        }
        i++;
      }
      blocks.push({ type: 'list', ordered, start: ordered ? Number(numbered![1]) : 1, items: texts.map(parseInline) });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && !BLANK.test(lines[i]!) && !startsBlock(lines[i]!)) paragraph.push(lines[i++]!.trim());
    blocks.push({ type: 'paragraph', children: parseInline(paragraph.join(' ')) });
  }
  return blocks;
}

function startsBlock(line: string): boolean {
  return HEADING.test(line) || BULLET.test(line) || NUMBERED.test(line) || FENCE.test(line) || RULE.test(line);
}

const WORD = /[\p{L}\p{N}]/u;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!~]/.test(text[i + 1]!)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const link = /^\[([^\]]*)\]\(\s*([^)\s]*)(?:\s+"[^"]*")?\s*\)/.exec(text.slice(i));
      if (link) {
        flush();
        const children = parseInline(link[1]!);
        if (isHttpUrl(link[2]!)) out.push({ type: 'link', href: link[2]!, children });
        else out.push(...children);
        i += link[0].length;
        continue;
      }
    }
    if (c === '*' || c === '_') {
      const double = text[i + 1] === c;
      const marker = double ? c + c : c;
      const end = closing(text, i, marker);
      if (end !== -1) {
        flush();
        const children = parseInline(text.slice(i + marker.length, end));
        out.push(double ? { type: 'strong', children } : { type: 'em', children });
        i = end + marker.length;
        continue;
      }
      // An unmatched run of markers is text, all of it (so "**" never half-opens an emphasis).
      plain += marker;
      i += marker.length;
      continue;
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

/**
 * Where the emphasis opened at `at` with `marker` closes, or -1. The content must not start or
 * end with a space; `_` only opens and closes at word edges, so snake_case stays text.
 */
function closing(text: string, at: number, marker: string): number {
  const start = at + marker.length;
  if (start >= text.length || /\s/.test(text[start]!)) return -1;
  const underscore = marker[0] === '_';
  if (underscore && at > 0 && WORD.test(text[at - 1]!)) return -1;
  let from = start + 1;
  for (;;) {
    const end = text.indexOf(marker, from);
    if (end === -1) return -1;
    const single = marker.length === 1;
    const tooLong = single && text[end + 1] === marker; // "*a**" — the "**" belongs to something else
    const spaced = /\s/.test(text[end - 1]!);
    const inWord = underscore && end + marker.length < text.length && WORD.test(text[end + marker.length]!);
    if (!tooLong && !spaced && !inWord) return end;
    from = end + (tooLong ? 2 : 1);
  }
}
