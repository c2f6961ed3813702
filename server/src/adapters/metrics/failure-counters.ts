/**
 * Prometheus counters of what failed without stopping the server: a dependency that did not
 * answer (the request went on without it) and a background task that threw (it is retried by
 * its loop). An outage shows as a rising counter on /metrics instead of a dead process.
 */
import { Counter, type Registry } from 'prom-client';

export interface FailureCounters {
  dependency(dependency: 'redis' | 'postgres', operation: string): void;
  background(task: string): void;
}

/** Labels must stay few: a context that is not a short lowercase name (an id, a message) counts as `other`. */
const TASK_NAME = /^[a-z][a-z -]{0,40}$/;

export function failureCounters(registry: Registry): FailureCounters {
  const dependencyErrors = new Counter({
    name: 'support_chat_dependency_errors_total',
    help: 'Calls to a dependency that failed and were carried on without it',
    labelNames: ['dependency', 'operation'] as const,
    registers: [registry],
  });
  const backgroundErrors = new Counter({
    name: 'support_chat_background_errors_total',
    help: 'Background tasks that failed (logged; their loop tries again)',
    labelNames: ['task'] as const,
    registers: [registry],
  });
  return {
    dependency: (dependency, operation) => dependencyErrors.inc({ dependency, operation }),
    background: (task) => backgroundErrors.inc({ task: TASK_NAME.test(task) ? task : 'other' }),
  };
}
