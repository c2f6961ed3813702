/**
 * What the LLM said, checked before anyone acts on it. The model's output is untrusted text: it
 * may be malformed, name a category we don't have (a prompt-injected "FREE_MONTH"), or claim a
 * confidence outside 0..1. Anything but a clean allow-listed answer becomes `null`, and the
 * caller falls back to the offline classifier.
 */
import { CATEGORIES, type Category, type Classification } from '@support-chat/protocol';
import { z } from 'zod';

export interface Verdict {
  category: Category;
  confidence: number;
}

const llmAnswer = z.object({
  category: z.enum(CATEGORIES),
  confidence: z.number().finite().min(0).max(1),
});

/** Parses the message content of a completion; `null` unless it is exactly an allowed verdict. */
export function parseLlmResult(content: string | null | undefined): Verdict | null {
  if (typeof content !== 'string') return null;
  // Structured output never fences, but OpenAI-compatible servers that ignore response_format do.
  const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = llmAnswer.safeParse(raw);
  return parsed.success ? { category: parsed.data.category, confidence: parsed.data.confidence } : null;
}

export interface TrustOptions {
  /** AI_CONFIDENCE_THRESHOLD: below it the LLM's label is not acted on. */
  llmThreshold: number;
  /** The offline model's own bar for "confident". */
  localThreshold: number;
}

/**
 * The trust rule. A confident LLM answer wins. An unsure one is not trusted: the offline
 * result stands in if it is confident itself, otherwise the message is UNKNOWN (with the LLM's
 * low confidence, so escalation rules see how unsure we were).
 */
export function decideClassification(
  llm: Verdict,
  local: Verdict,
  options: TrustOptions,
): Classification {
  if (llm.confidence >= options.llmThreshold) return { ...llm, source: 'llm' };
  if (local.confidence >= options.localThreshold) return { ...local, source: 'local' };
  return { category: 'UNKNOWN', confidence: llm.confidence, source: 'llm' };
}
