import { normalizeKeepingLayout } from '../classify/normalize.ts';
import { CONCEPTS, GENERIC_CONCEPTS } from './lexicon.ts';
import { StemLookup } from './similar-stems.ts';
import { stemEnglish, stemRussian } from './stem.ts';

/** Concept terms live beside word stems in one index; the prefix keeps them apart. */
export const CONCEPT_PREFIX = '#';

export function isGenericConcept(term: string): boolean {
  return GENERIC_CONCEPTS.has(term.slice(CONCEPT_PREFIX.length));
}

/**
 * The stemmer does not always give a word's forms one stem: "модем" → "мод" but "модеме",
 * "модема" → "модем"; "договор" → "договор" but "договором" too. A lexicon word is written once,
 * in its dictionary form, so its usual case and person forms are stemmed as well.
 */
function russianForms(word: string): string[] {
  if (/(ый|ий|ой)$/.test(word)) return [word, ...['ого', 'ому', 'ом', 'ая', 'ую', 'ое', 'ые', 'ых'].map((e) => word.slice(0, -2) + e)];
  if (/ть$/.test(word)) return [word, ...['л', 'ла', 'ли', 'ю', 'ет', 'ем', 'ите'].map((e) => word.slice(0, -2) + e)];
  if (/[ая]$/.test(word)) return [word, ...['ы', 'и', 'е', 'у', 'ой', 'ю'].map((e) => word.slice(0, -1) + e)];
  if (/[бвгджзклмнпрстфхцчшщ]$/.test(word)) return [word, ...['а', 'у', 'е', 'ом', 'ы', 'ов', 'ами', 'ах'].map((e) => word + e)];
  return [word];
}

interface ConceptIndex {
  conceptsByStem: Map<string, Set<string>>;
  lookup: StemLookup;
}

let index: ConceptIndex | undefined;

/**
 * Built when first needed, not when the module loads: stemming every lexicon word in its forms
 * costs ~0.3–0.5 s of CPU, which every server start paid before it could listen.
 */
function conceptIndex(): ConceptIndex {
  if (index) return index;
  const conceptsByStem = new Map<string, Set<string>>();
  for (const [concept, words] of Object.entries(CONCEPTS)) {
    for (const word of words) {
      for (const surface of normalizeKeepingLayout(word).split(' ')) {
        if (surface === '') continue;
        // Lexicon words are spelled in their own script: a Latin one is English, never translit.
        const stems = /^[a-z']+$/.test(surface) ? [stemEnglish(surface)] : /^[а-я]+$/.test(surface) ? russianForms(surface).map(stemRussian) : [surface];
        for (const stem of new Set(stems)) {
          const set = conceptsByStem.get(stem) ?? new Set<string>();
          set.add(CONCEPT_PREFIX + concept);
          conceptsByStem.set(stem, set);
        }
      }
    }
  }
  index = { conceptsByStem, lookup: new StemLookup(conceptsByStem.keys()) };
  return index;
}

/** Lexicon words that are hyphenated compounds written solid ("wifi", "settop", "topup"). */
export const SOLID_COMPOUNDS: ReadonlySet<string> = new Set([
  ...Object.values(CONCEPTS).flat().map((word) => word.toLowerCase()),
  'wifi', 'settop', 'topup', 'email',
]);
const MIN_TYPO_LENGTH = 6;

/**
 * Concepts a stem stands for, each with how surely (the stem similarity to the lexicon word).
 * Articles pass `edits: false` (their spelling is deliberate); questions allow typos.
 */
export function conceptsOf(stem: string, edits: boolean): Map<string, number> {
  const { conceptsByStem, lookup } = conceptIndex();
  const out = new Map<string, number>();
  const add = (lexiconStem: string, similarity: number): void => {
    for (const concept of conceptsByStem.get(lexiconStem) ?? []) {
      if ((out.get(concept) ?? 0) < similarity) out.set(concept, similarity);
    }
  };
  add(stem, 1);
  // A typo is only assumed for a word the lexicon does not know and that is long enough for one
  // edit to be telling: "change" is not a misspelled "charge", nor "gmail" an "email".
  const typo = edits && out.size === 0 && stem.length >= MIN_TYPO_LENGTH;
  for (const [lexiconStem, similarity] of lookup.similar(stem, typo)) add(lexiconStem, similarity);
  return out;
}
