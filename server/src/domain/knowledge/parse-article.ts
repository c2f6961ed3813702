/**
 * One Markdown file of a knowledge base → an article. The format `pnpm kb:import` reads:
 *
 *   ---
 *   url: https://example.com/help/pause      (optional: the "read more" link)
 *   locale: ru                                 (optional)
 *   ---
 *   # Title
 *   Body in Markdown…
 *
 * Front matter is optional; without a "# Title" line the title falls back to front matter
 * `title:` and then to the file name.
 */

export interface ParsedArticle {
  title: string;
  body: string;
  url: string | null;
  locale: string | null;
}

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

export function parseArticleMarkdown(fileName: string, text: string): ParsedArticle {
  let rest = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const meta = new Map<string, string>();
  const front = FRONT_MATTER.exec(rest);
  if (front) {
    for (const line of front[1]!.split('\n')) {
      const field = /^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
      if (field) meta.set(field[1]!.toLowerCase(), unquote(field[2]!));
    }
    rest = rest.slice(front[0].length);
  }
  let title = '';
  const heading = /^\s*#[ \t]+(.+?)[ \t#]*(?:\n|$)/.exec(rest);
  if (heading) {
    title = heading[1]!.trim();
    rest = rest.slice(heading[0].length);
  }
  if (title === '') title = meta.get('title') ?? '';
  if (title === '') title = fileName.replace(/^.*[\\/]/, '').replace(/\.(md|markdown)$/i, '').replace(/[-_]+/g, ' ').trim();
  return { title, body: rest.trim(), url: safeUrl(meta.get('url')), locale: safeLocale(meta.get('locale') ?? meta.get('lang')) };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}

/** Only web links (absolute or site-relative): a visitor will click it, so no `javascript:`. */
function safeUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (/^https?:\/\/[^\s"'<>]+$/i.test(value)) return value;
  if (/^\/(?!\/)[^\s"'<>]*$/.test(value)) return value;
  return null;
}

function safeLocale(value: string | undefined): string | null {
  if (!value) return null;
  return /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i.test(value) ? value.toLowerCase().replace(/_/g, '-') : null;
}
