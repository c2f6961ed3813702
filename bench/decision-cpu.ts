/**
 * CPU the bot's judgement costs per visitor message, in process: `pnpm bench decision-cpu`.
 *
 * Replays fixed conversations through the pure part of ChatService.decide as it runs per message:
 * the offline classifier on the new message, then the escalation rules, the category in context,
 * turned-down knowledge answers and the reply language over the last HISTORY messages (oldest
 * first, the new one last), then decideReply. No database, sockets or templates: those are the
 * load bench's. Two sets:
 * - unique: ~3,400 distinct texts (training, stress and judgement messages) dealt into
 *   conversations of 1–12 messages, in a fixed order. Each text is new when it is the current
 *   message (every round changes them unseen) and recent when it is history, as in production;
 * - load: what bench/load's visitors send (its nine questions in turn, each with a contract number
 *   never sent before; each visitor one long conversation), new texts every round.
 *
 * With BENCH_BASELINE=<another worktree> the same set runs through that tree's domain too,
 * alternating rounds, and every decision is compared: the numbers are then A/B on one machine state.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Category } from '@support-chat/protocol';
import { question } from './load/visitors.ts';

const HERE = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** chat-service HISTORY_FOR_RULES. */
const HISTORY = 12;
const RULES = { repeatThreshold: 3, lowConfidenceStreak: 2, confidenceThreshold: 0.5 };
const ROUNDS = Number(process.env.DECISION_CPU_ROUNDS ?? 4);

interface Judged {
  category: Category;
  confidence: number;
  escalation: string;
  inContext: Category;
  language: string;
  templates: string;
}

type Judge = (texts: readonly string[]) => Judged[];

/** The domain of one worktree, judging a conversation message by message as the service does. */
async function domainOf(root: string): Promise<Judge> {
  const src = (path: string) => import(join(root, 'server/src', path));
  const { loadLocalModel } = await src('adapters/classifier/local-model-file.ts');
  const { decideEscalation, categoryInContext, judgeInContext } = await src('domain/escalation/decide-escalation.ts');
  // A tree from before judgeInContext read the conversation twice, as its service did.
  const judgeRules = judgeInContext ?? ((history: unknown, rules: unknown) => ({ escalation: decideEscalation(history, rules), category: categoryInContext(history, rules) }));
  const { escalateOnRejectedAnswers } = await src('domain/knowledge/rejected-answers.ts');
  const { conversationLanguage } = await src('domain/templates/conversation-language.ts');
  const { decideReply } = await src('domain/decide-reply.ts');
  const model = loadLocalModel();

  return (texts) => {
    const stored: Array<{ text: string; category: Category; confidence: number }> = [];
    return texts.map((text) => {
      const { category, confidence } = model.classify(text);
      stored.push({ text, category, confidence });
      const history = stored.slice(-HISTORY);
      const { escalation: byRules, category: inContext } = judgeRules(history, RULES) as { escalation: unknown; category: Category };
      const escalation = escalateOnRejectedAnswers(byRules, history.map((m) => ({ text: m.text, answeredFromKnowledge: false })));
      const language: string = conversationLanguage(history.map((m) => m.text), 'ru');
      const decision = decideReply({
        status: 'BOT',
        isFirstMessage: stored.length === 1,
        classification: { category: inContext, confidence, source: 'local' },
        escalation,
        openIncident: false,
        operatorsOnline: 1,
        leftEmail: false,
        knowledgeAnswer: false,
        askEmail: true,
        lastBotReply: null,
      });
      return {
        category,
        confidence,
        escalation: escalation.escalate ? `${escalation.priority}:${escalation.reason}` : '-',
        inContext,
        language,
        templates: decision.templates.join('|'),
      };
    });
  };
}

function jsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Distinct texts in a fixed shuffled order (a small LCG: the same order every run). */
function uniqueConversations(): string[][] {
  const intents = join(HERE, 'server/data/intents');
  const texts = [
    ...readdirSync(intents).flatMap((file) => jsonl<{ text: string }>(join(intents, file)).map((e) => e.text)),
    ...jsonl<{ text: string }>(join(HERE, 'server/data/intents-eval/stress.jsonl')).map((e) => e.text),
    ...jsonl<{ text: string }>(join(HERE, 'bench/data/judgement/messages.jsonl')).map((e) => e.text),
  ];
  const distinct = [...new Set(texts)];
  let seed = 42;
  for (let i = distinct.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
  }
  const conversations: string[][] = [];
  for (let at = 0, length = 1; at < distinct.length; at += length, length = (length % HISTORY) + 1) {
    conversations.push(distinct.slice(at, at + length));
  }
  // The judgement set's conversations: restated requests, follow-ups, thanks — where the rules work hardest.
  conversations.push(...jsonl<{ messages: string[] }>(join(HERE, 'bench/data/judgement/conversations.jsonl')).map((c) => c.messages));
  return conversations;
}

/** 50 visitors, 40 messages each, as bench/load's visitors send them: texts never sent before. */
function loadConversations(): string[][] {
  let sent = 0;
  return Array.from({ length: 50 }, () => Array.from({ length: 40 }, () => question(sent++)));
}

function measure(judge: Judge, conversations: readonly string[][]): { usPerMessage: number; results: Judged[][] } {
  const started = process.cpuUsage();
  const results = conversations.map((texts) => judge(texts));
  const used = process.cpuUsage(started);
  const messages = conversations.reduce((n, c) => n + c.length, 0);
  return { usPerMessage: (used.user + used.system) / messages, results };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runDecisionCpuBench(): Promise<void> {
  const baseline = process.env.BENCH_BASELINE;
  const judges: Array<[string, Judge]> = [['this tree', await domainOf(HERE)]];
  if (baseline) judges.unshift([`baseline ${baseline}`, await domainOf(resolve(baseline))]);

  const unique = uniqueConversations();
  // Trailing spaces make a text new to every memo keyed by it, while every reading of it stays the same.
  const uniqueIn = (round: number) => unique.map((texts) => texts.map((text) => text + ' '.repeat(round)));
  for (const [set, conversationsOf] of [['unique', uniqueIn], ['load', loadConversations]] as const) {
    const messages = conversationsOf(0).reduce((n, c) => n + c.length, 0);
    console.log(`\n-- ${set}: ${conversationsOf(0).length} conversations, ${messages} messages, ${ROUNDS} rounds each, interleaved --`);
    const samples = new Map<string, number[]>(judges.map(([name]) => [name, []]));
    let reference: string | undefined;
    let identical = true;
    // Round 0 warms the JIT; not counted. Every judge sees the same texts in a round, each new to its memos.
    for (let round = 0; round <= ROUNDS; round += 1) {
      const conversations = conversationsOf(round);
      reference = undefined;
      for (const [name, judge] of judges) {
        const { usPerMessage, results } = measure(judge, conversations);
        if (round > 0) samples.get(name)!.push(usPerMessage);
        const serialized = JSON.stringify(results);
        reference ??= serialized;
        if (serialized !== reference) identical = false;
      }
    }
    for (const [name, values] of samples) {
      console.log(`  ${name}: ${median(values).toFixed(1)} µs/message (median; rounds ${values.map((v) => v.toFixed(1)).join(', ')})`);
    }
    if (judges.length > 1) console.log(`  decisions identical (category, confidence, escalation, category in context, language, templates): ${identical ? 'yes' : 'NO'}`);
  }
}
