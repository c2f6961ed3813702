/**
 * Prometheus series of what the product does (not how the process feels): messages by channel
 * and category, escalations by reason, how late paced replies go out, webhook attempts by
 * outcome, and which classifier answered and how fast. Label values are bounded: a reason is cut
 * to its kind (`repeat:TECH_SUPPORT_BASIC×3` → `repeat`), anything unexpected counts as `other`.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ProductMetrics } from '../../services/ports.ts';

const LABEL = /^[A-Za-z][A-Za-z0-9_-]{0,40}$/;
const bounded = (value: string | null | undefined) => (value && LABEL.test(value) ? value : 'other');
/** `repeat:BILLING×3`, `human_request×2`, `low_confidence×2` → `repeat`, `human_request`, `low_confidence`. */
export const escalationKind = (reason: string) => bounded(reason.split(/[:×]/)[0]);

export function productMetrics(registry: Registry): ProductMetrics {
  const messages = new Counter({
    name: 'support_chat_messages_total',
    help: 'Visitor messages decided, by channel and category',
    labelNames: ['channel', 'category'] as const,
    registers: [registry],
  });
  const escalations = new Counter({
    name: 'support_chat_escalations_total',
    help: 'Conversations handed to operators, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'support_chat_reply_lateness_seconds',
    help: 'How long after its planned time a paced bot reply was delivered',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'support_chat_webhook_attempts_total',
    help: 'Webhook POSTs by outcome: delivered, retry (failed, tried again later) or failed (given up)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const webhookFailures = new Counter({
    name: 'support_chat_webhook_failures_total',
    help: 'Webhook POSTs that failed (retried or given up)',
    registers: [registry],
  });
  const classification = new Histogram({
    name: 'support_chat_classification_seconds',
    help: 'Time to classify a visitor message, by the source of the answer (local, llm, cache, knowledge)',
    labelNames: ['source'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    message: (channel, category) => messages.inc({ channel: bounded(channel), category: bounded(category) }),
    escalation: (reason) => escalations.inc({ reason: escalationKind(reason) }),
    replyLateness: (seconds) => lateness.observe(Math.max(0, seconds)),
    webhookAttempt: (outcome) => {
      webhooks.inc({ outcome });
      if (outcome !== 'delivered') webhookFailures.inc();
    },
    classification: (source, seconds) => classification.observe({ source: bounded(source) }, seconds),
  };
}
