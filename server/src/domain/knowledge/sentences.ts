/**
 * Sentence boundaries inside one block of plain text, as offsets, so a passage is always a
 * slice of the article. A full stop ends a sentence only before a capital letter, a digit or an
 * opening quote/bracket: "см. раздел" or "т.е. вы" go on, and so do decimals ("2.4 ГГц").
 */

// Abbreviations that are followed by capitals often enough to mislead the rule above.
const ABBREVIATIONS = new Set(['т.е', 'т.д', 'т.п', 'т.к', 'т', 'е', 'д', 'п', 'г', 'гг', 'ул', 'кв', 'стр', 'тел', 'им', 'проф', 'e.g', 'i.e', 'mr', 'mrs', 'dr', 'vs', 'no', 'etc']);

const BOUNDARY = /([.!?…]+)["»”')\]]*\s+(?=["«“(\[]?[\p{Lu}\p{N}])/gu;

export interface Span {
  start: number;
  end: number;
}

export function splitSentences(text: string, start: number, end: number): Span[] {
  const block = text.slice(start, end);
  const spans: Span[] = [];
  let from = 0;
  for (const match of block.matchAll(BOUNDARY)) {
    const stopAt = match.index + match[0].trimEnd().length;
    if (match[1] === '.') {
      const before = /([\p{L}.]+)$/u.exec(block.slice(from, match.index))?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(before) || ABBREVIATIONS.has(before.replace(/\.$/, ''))) continue;
    }
    spans.push({ start: start + from, end: start + stopAt });
    from = match.index + match[0].length;
  }
  if (from < block.length) spans.push({ start: start + from, end: start + block.trimEnd().length });
  return spans.filter((span) => span.end > span.start);
}
