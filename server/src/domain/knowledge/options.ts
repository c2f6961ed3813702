import type { CalibrationModel } from './calibration.ts';

export interface KnowledgeOptions {
  /** answer() returns the top article only at or above this calibrated score. */
  answerThreshold: number;
  /** Chunk size in words (see chunk.ts). */
  chunkMinWords: number;
  chunkMaxWords: number;
  /** BM25 term-frequency saturation and length normalization. */
  k1: number;
  b: number;
  /** An article title word counts as this many body occurrences (in every chunk of the article). */
  titleWeight: number;
  /** A section heading word counts as this many body occurrences (in the chunks of its section). */
  headingWeight: number;
  /** Whole-article BM25 added to the best chunk's, times this: an article about the question beats a passing mention. */
  articleWeight: number;
  /** Question weight matched by the article title (and by a chunk's heading) is added to the score times this. */
  titleMatchWeight: number;
  /** Adjacent question words found adjacent in the text ("срок договора") add this times their BM25. */
  pairWeight: number;
  /** A match through the bilingual lexicon counts this much of a literal match. */
  conceptWeight: number;
  /** The same for concepts of everyday words (lexicon.ts GENERIC_CONCEPTS). */
  genericConceptWeight: number;
  /** Weight of a question word neither the articles nor the lexicon know, relative to the IDF of a term no article has. */
  unknownWeight: number;
  /** A short word (4–5 letters) one edit from an article's word counts this much of a literal match ("тарив" → "тариф"). */
  shortTypoWeight: number;
  /** Weight of a question word the articles do not have but the lexicon knows as an everyday word, relative to an unknown word. */
  genericUnknownWeight: number;
  /** Weight of a Latin question word neither the articles nor the lexicon know, relative to an unknown Cyrillic one. */
  unknownLatinWeight: number;
  /** The quoted passage: at most this many characters and prose sentences. */
  passageMaxChars: number;
  passageMaxSentences: number;
  /** List items or table rows a passage may quote after its lead-in sentence. */
  passageMaxItems: number;
  /** A neighbouring sentence is quoted too when it matches at least this share of the best one. */
  passageNeighbourShare: number;
  /** Ranking evidence → probability that the top article is right (fitted by bench/knowledge.ts). */
  calibration: CalibrationModel;
}
