/**
 * Visitors paste HTML and write Markdown ("**TERRIBLE**", "# URGENT", code fences with ping
 * output). The words inside carry the intent; the markup does not. Executable content
 * (<script>, inline handlers) is not something a customer says, so it becomes ":code:".
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return HTML_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

export function stripMarkup(text: string): string {
  let out = text
    // Executable or invisible HTML: the content is not prose.
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, ' :code: ')
    .replace(/<[a-z][^>]*\son\w+\s*=[^>]*>/gi, ' :code: ')
    .replace(/<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ');
  out = decodeEntities(out);
  return (
    out
      // Markdown images and links keep their visible text; bare URLs become one token.
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' :url: ')
      // Code fences and inline code: keep the content (ping output, error text).
      .replace(/```[a-z]*|`/gi, ' ')
      // Headings, quotes, bullets and numbered lists at line start.
      .replace(/^[ \t]*(#{1,6}|>+|[-*+•]|\d+[.)])[ \t]+/gm, ' ')
      // Emphasis markers around words: **bold**, __bold__, *it*, _it_, ~~strike~~.
      .replace(/(\*{1,3}|_{1,3}|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
  );
}
