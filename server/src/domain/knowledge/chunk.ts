import type { BlockKind, PlainArticle } from './markdown.ts';
import { splitSentences } from './sentences.ts';

/** One sentence (or list item, table row, code block): the smallest piece a passage is built of. */
export interface Unit {
  start: number;
  end: number;
  kind: Exclude<BlockKind, 'heading'>;
  /** Index of the block it came from: units of one block read as one paragraph. */
  block: number;
  /** The unit ends with a colon: what follows (usually a list) belongs with it. */
  leadsOn: boolean;
}

/** A passage ranked on its own: a run of units under one heading, with that heading. */
export interface Chunk {
  heading: string;
  units: Unit[];
  words: number;
}

export interface ChunkOptions {
  /** A chunk under this many words keeps taking blocks of its section. */
  minWords: number;
  /** A chunk stops taking blocks that would bring it past this; one long block is cut between sentences. */
  maxWords: number;
}

const countWords = (text: string): number => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;

/**
 * Chunks by heading, then by paragraph: a section is never mixed with another (its heading is
 * what a chunk is about), and within a section blocks are packed to minWords…maxWords so a
 * chunk is large enough to hold an answer and small enough that its words belong together.
 */
export function chunkArticle(article: PlainArticle, options: ChunkOptions): Chunk[] {
  const chunks: Chunk[] = [];
  let heading = '';
  let current: Chunk = { heading, units: [], words: 0 };
  const close = (): void => {
    if (current.units.length > 0) chunks.push(current);
    current = { heading, units: [], words: 0 };
  };

  article.blocks.forEach((block, blockIndex) => {
    const text = article.text.slice(block.start, block.end);
    if (block.kind === 'heading') {
      close();
      heading = text;
      current = { heading, units: [], words: 0 };
      return;
    }
    const blockWords = countWords(text);
    if (current.words >= options.minWords && current.words + blockWords > options.maxWords) close();
    const spans = block.kind === 'paragraph' ? splitSentences(article.text, block.start, block.end) : [block];
    for (const span of spans) {
      const unitText = article.text.slice(span.start, span.end);
      const unitWords = countWords(unitText);
      if (current.words >= options.minWords && current.words + unitWords > options.maxWords) close();
      current.units.push({ start: span.start, end: span.end, kind: block.kind, block: blockIndex, leadsOn: /:\s*$/.test(unitText) });
      current.words += unitWords;
    }
  });
  close();
  return chunks;
}
