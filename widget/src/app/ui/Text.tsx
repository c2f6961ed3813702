import type { ComponentChild } from 'preact';

// Message text is always text: links become <a> elements built from the matched URL, never HTML.
const URL_RE = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}»]/g;

export function Text({ text }: { text: string }) {
  const parts: ComponentChild[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const at = match.index;
    parts.push(text.slice(last, at));
    parts.push(
      <a href={match[0]} target="_blank" rel="noopener noreferrer nofollow">
        {match[0]}
      </a>,
    );
    last = at + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
