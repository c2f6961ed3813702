import type { Category } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { SHARED_DEV_FILE, loadIntentExamples } from '../../adapters/intents-dataset.ts';
import { normalize } from './normalize.ts';
import { trainLocalClassifier } from './local-model.ts';

// None of these texts is in the training data (checked below).
const CASES: Record<string, ReadonlyArray<readonly [string, Category]>> = {
  translit: [
    ['dobryy vecher vsem', 'GREETING'],
    ['spasibo vam ogromnoe za pomosh', 'THANKS'],
    ['internet ochen medlennyy', 'TECH_SUPPORT_BASIC'],
    ['vo vsem dome propal internet', 'OUTAGE_REPORT'],
    ["skol'ko stoit tarif na 500 mbit", 'BILLING'],
    ["kak smenit' parol' ot lichnogo kabineta", 'ACCOUNT'],
    ["uzhasnoe obsluzhivanie, budu pisat' zhalobu", 'COMPLAINT'],
    ['soedinite menya s zhivym operatorom', 'HUMAN_REQUEST'],
    ['do vstrechi, vsego horoshego', 'FAREWELL'],
  ],
  typos: [
    ['интернет не работет, роутер перезагружал', 'TECH_SUPPORT_BASIC'],
    ['скока стоит тарив', 'BILLING'],
    ['пазавите аператора', 'HUMAN_REQUEST'],
    ['my wfi keeps droping', 'TECH_SUPPORT_BASIC'],
    ['cant login to my acount', 'ACCOUNT'],
  ],
  // The dominant need wins over politeness around it.
  mixed: [
    ['Здравствуйте! У меня роутер постоянно перезагружается', 'TECH_SUPPORT_BASIC'],
    ['привет, сколько у меня денег на счету?', 'BILLING'],
    ['спасибо, всего вам доброго', 'FAREWELL'],
    ["hi there, I'd like to speak with a human agent", 'HUMAN_REQUEST'],
  ],
};

const examples = loadIntentExamples({ exclude: [SHARED_DEV_FILE] });
const classifier = trainLocalClassifier(examples);

describe('messages as visitors really type them', () => {
  it('the cases are not in the training data', () => {
    const seen = new Set(examples.map((example) => normalize(example.text)));
    for (const [text] of Object.values(CASES).flat()) expect(seen.has(normalize(text)), text).toBe(false);
  });

  for (const [kind, cases] of Object.entries(CASES)) {
    it.each(cases.map(([text, expected]) => [text, expected]))(`${kind}: %j → %s`, (text, expected) => {
      expect(classifier.classify(text).category).toBe(expected);
    });
  }
});
