/**
 * The bot's judgement on sets it has never seen: `pnpm bench judgement`.
 *
 * bench/data/judgement/ was written apart from the training data by someone who never saw it:
 * - messages.jsonl: single messages (ru, en, translit, typos, layout, slang, injections), labelled;
 * - conversations.jsonl: short conversations, each with whether and where (`at`) the bot must hand
 *   over and why; half are hard negatives (follow-ups, distinct questions in one category,
 *   repeated thanks).
 *
 * Prints single-message accuracy, macro-F1 and per-category recall of the shipped offline model;
 * the escalation thresholds of COMPLAINT and HUMAN_REQUEST, chosen by cross-validation on the
 * training data; and, replaying every conversation through the production rules, escalation
 * precision / recall, how many conversations are decided right (first escalation exactly at `at`,
 * or none), and the false-escalation rate on the hard negatives. Only aggregate numbers and
 * failure kinds are printed: the sets are for measuring, never for tuning on single items.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATEGORIES, isCategory, type Category } from '@support-chat/protocol';
import { loadLocalModel } from '../server/src/adapters/classifier/local-model-file.ts';
import { loadIntentExamples } from '../server/src/adapters/intents-dataset.ts';
import { evaluate, predictAll, trainLocalClassifier } from '../server/src/domain/classify/index.ts';
import {
  ESCALATION_THRESHOLDS,
  chooseEscalationThresholds,
  type EscalatingCategory,
  TARGET_ESCALATION_PRECISION,
  THRESHOLD_FOLDS,
  THRESHOLD_SEEDS,
} from '../server/src/domain/escalation/escalation-thresholds.ts';
import { countRepeats, type EscalationOptions } from '../server/src/domain/escalation/decide-escalation.ts';
import { readConversation } from '../server/src/domain/escalation/read-in-context.ts';
import { RULES_HISTORY, replayConversation, type Replay } from '../server/src/domain/escalation/replay-conversation.ts';

const DATA = fileURLToPath(new URL('./data/judgement/', import.meta.url));
/** What server.ts hands the rules (ESCALATION_REPEAT_THRESHOLD, LOW_CONFIDENCE_STREAK defaults). */
const PRODUCTION_RULES: EscalationOptions = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };
/** AI_CONFIDENCE_THRESHOLD as the "not understood" bar: the rules must not fall apart with it. */
const STRICT_RULES: EscalationOptions = { ...PRODUCTION_RULES, confidenceThreshold: 0.85 };
const GOALS = { accuracy: 0.94, conversationsRight: 0.95 };

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

interface LabelledMessage {
  text: string;
  label: Category;
  lang: string;
  kind: string;
}

interface Conversation {
  id: string;
  kind: 'hard_negative' | 'positive' | 'plain';
  messages: string[];
  escalate: boolean;
  reason: 'none' | 'repeat' | 'complaint' | 'human_request' | 'low_confidence';
  at: number | null;
}

function readJsonl<T>(name: string): T[] {
  return readFileSync(`${DATA}${name}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The reason family of a decision's reason: `repeat:BILLING×3` → repeat, `human_request×2` → human_request. */
function family(reason: string): string {
  return reason.replace(/[:×].*$/, '');
}

export async function runJudgementBench(): Promise<void> {
  const messages = readJsonl<LabelledMessage>('messages.jsonl');
  const conversations = readJsonl<Conversation>('conversations.jsonl');
  for (const m of messages) if (!isCategory(m.label)) throw new Error(`messages.jsonl: unknown label ${m.label}`);
  const model = loadLocalModel();

  console.log(`\n-- single messages (${messages.length}, never trained on) --`);
  const predictions = predictAll(model, messages);
  const report = evaluate(predictions);
  console.log(`accuracy ${pct(report.accuracy)}  macro-F1 ${pct(report.macroF1)}  (goal ≥ ${pct(GOALS.accuracy)})`);
  console.log('  category              recall  precision  support');
  for (const category of CATEGORIES) {
    const s = report.perCategory[category];
    console.log(`  ${category.padEnd(20)} ${pct(s.recall).padStart(7)}  ${pct(s.precision).padStart(9)}  ${String(s.support).padStart(7)}`);
  }
  const byKind = new Map<string, { right: number; total: number }>();
  messages.forEach((m, i) => {
    const entry = byKind.get(m.kind) ?? { right: 0, total: 0 };
    entry.total += 1;
    if (predictions[i]!.predicted === m.label) entry.right += 1;
    byKind.set(m.kind, entry);
  });
  console.log(`  by kind: ${[...byKind].map(([kind, { right, total }]) => `${kind} ${right}/${total}`).join(', ')}`);
  const confusions = new Map<string, number>();
  for (const p of predictions) if (p.predicted !== p.expected) confusions.set(`${p.expected}→${p.predicted}`, (confusions.get(`${p.expected}→${p.predicted}`) ?? 0) + 1);
  console.log(`  confusions: ${[...confusions].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);

  console.log(
    `\n-- escalation thresholds (${THRESHOLD_FOLDS}-fold CV on the training data, seeds ${THRESHOLD_SEEDS.join('/')} pooled; precision ≥ ${pct(TARGET_ESCALATION_PRECISION)}) --`,
  );
  const started = performance.now();
  const chosen = chooseEscalationThresholds(loadIntentExamples(), (train) => trainLocalClassifier(train));
  for (const category of ['COMPLAINT', 'HUMAN_REQUEST'] as const) {
    const c = chosen[category];
    console.log(
      `  ${category.padEnd(14)} chosen ${c.threshold.toFixed(2)} (CV precision ${pct(c.precision)}, recall ${pct(c.recall)})  shipped ${ESCALATION_THRESHOLDS[category].toFixed(2)}`,
    );
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  for (const [label, rules] of [
    ['production rules', PRODUCTION_RULES],
    ['with "not understood" below 0.85', STRICT_RULES],
  ] as const) {
    printConversations(label, conversations, (text) => model.classify(text), rules);
  }
}

function where(index: number, at: number | null): string {
  if (at === null) return 'x';
  return index < at ? 'early' : index > at ? 'late' : 'at';
}

/** How the message that escalated was read: the failure's kind, without its text. */
function howRead(replay: Replay, index: number, rules: EscalationOptions): string {
  const history = replay.messages.slice(0, index + 1).slice(-RULES_HISTORY);
  const reading = readConversation(history, rules).at(-1)!;
  const message = replay.messages[index]!;
  const escalating = message.category === 'COMPLAINT' || message.category === 'HUMAN_REQUEST';
  const guess =
    escalating && message.confidence < ESCALATION_THRESHOLDS[message.category as EscalatingCategory] && reading.understood !== 'signal'
      ? `, ${message.category} below its threshold`
      : '';
  return `read as ${reading.category} via ${reading.understood}, classified ${message.category} ${message.confidence.toFixed(2)}${guess}`;
}

/** For a missed escalation: how the messages were read and, for repeats, how many were linked. */
function missed(replay: Replay, rules: EscalationOptions): string {
  const readings = readConversation(replay.messages.slice(-RULES_HISTORY), rules);
  const read = readings.map((r, i) => `${r.category}/${r.understood}/${replay.messages[i]!.confidence.toFixed(2)}`).join(' ');
  return `repeats ${countRepeats(replay.messages, rules)}; ${read}`;
}

function printConversations(
  label: string,
  conversations: readonly Conversation[],
  classify: (text: string) => { category: Category; confidence: number },
  rules: EscalationOptions,
): void {
  console.log(
    `\n-- conversations (${conversations.length}), ${label}: repeat ${rules.repeatThreshold}, streak ${rules.lowConfidenceStreak}, not understood < ${rules.confidenceThreshold} --`,
  );
  let right = 0;
  let escalatedRightly = 0; // escalated where it should escalate (anywhere)
  let escalated = 0;
  let shouldEscalate = 0;
  const hardNegatives = conversations.filter((c) => c.kind === 'hard_negative');
  let falseOnHard = 0;
  const hardCauses = new Map<string, number>();
  const failures = new Map<string, number>();
  for (const conversation of conversations) {
    const replay = replayConversation(conversation.messages, classify, rules);
    const { escalatedAt } = replay;
    if (conversation.escalate) shouldEscalate += 1;
    if (escalatedAt) escalated += 1;
    if (escalatedAt && conversation.escalate) escalatedRightly += 1;
    const ok = conversation.escalate ? escalatedAt?.index === conversation.at : escalatedAt === null;
    if (ok) right += 1;
    if (!ok) {
      const got = escalatedAt
        ? `${family(escalatedAt.reason)}@${where(escalatedAt.index, conversation.at)} (${howRead(replay, escalatedAt.index, rules)}; ${missed(replay, rules)})`
        : `none (${missed(replay, rules)})`;
      const key = `${conversation.kind}:${conversation.reason} → ${got}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    }
    if (conversation.kind === 'hard_negative' && escalatedAt) {
      falseOnHard += 1;
      const cause = howRead(replay, escalatedAt.index, rules);
      hardCauses.set(cause, (hardCauses.get(cause) ?? 0) + 1);
    }
  }
  const belowThreshold = [...hardCauses].filter(([cause]) => cause.endsWith('below its threshold')).reduce((sum, [, n]) => sum + n, 0);
  const precision = escalated === 0 ? 0 : escalatedRightly / escalated;
  const recall = shouldEscalate === 0 ? 0 : escalatedRightly / shouldEscalate;
  console.log(
    `right ${right}/${conversations.length} (${pct(right / conversations.length)}, goal ≥ ${pct(GOALS.conversationsRight)}; escalated exactly at the expected message, or never)`,
  );
  console.log(`escalation precision ${pct(precision)}  recall ${pct(recall)}  (escalated or not, wherever)`);
  console.log(
    `false escalations on hard negatives: ${falseOnHard}/${hardNegatives.length} (${pct(falseOnHard / Math.max(1, hardNegatives.length))}), of them by a category below its threshold: ${belowThreshold}`,
  );
  if (hardCauses.size > 0) console.log(`  caused by: ${[...hardCauses].map(([cause, n]) => `${cause} ×${n}`).join('; ')}`);
  if (failures.size > 0) {
    console.log(`  wrong (kind:expected → got@where): ${[...failures].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runJudgementBench();
