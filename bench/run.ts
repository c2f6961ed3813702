/**
 * `pnpm bench`: every benchmark in turn, printing the numbers the goals are checked against.
 * Numbers, not assertions — this machine is shared and noisy; read them, compare them.
 * `pnpm bench widget classifier` runs only the named ones.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  widget: async () => (await import('./widget-size.ts')).runWidgetSizeBench(),
  hostpage: async () => (await import('./host-page.ts')).runHostPageBench(),
  ack: async () => (await import('./ack-latency.ts')).runAckLatencyBench(),
  classifier: async () => (await import('./classifier.ts')).runClassifierBench(),
  cache: async () => (await import('./classification-cache.ts')).runCacheReplayBench(),
  delivery: async () => (await import('./delivery.ts')).runDeliveryBench(),
  escalation: async () => (await import('./escalation.ts')).runEscalationBench(),
  load: async () => (await import('./load.ts')).runLoadBench(),
  embedded: async () => (await import('./embedded-event-loop.ts')).runEmbeddedEventLoopBench(),
  startup: async () => (await import('./startup.ts')).runStartupBench(),
  chaos: async () => (await import('./chaos.ts')).runChaosBench(),
  knowledge: async () => (await import('./knowledge.ts')).runKnowledgeBench(),
  judgement: async () => (await import('./judgement.ts')).runJudgementBench(),
  'decision-cpu': async () => (await import('./decision-cpu.ts')).runDecisionCpuBench(),
  telegram: async () => (await import('./telegram.ts')).runTelegramBench(),
  // Inbox lists and search, then the analytics page's numbers (bench/analytics.ts).
  inbox: async () => {
    await (await import('./inbox.ts')).runInboxBench();
    await (await import('./analytics.ts')).runAnalyticsBench();
  },
};

const wanted = process.argv.slice(2).filter((a) => a !== '--');
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown bench "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const started = performance.now();
  try {
    await bench();
  } catch (error) {
    failed++;
    console.error(`bench ${name} failed:`, error);
  }
  console.log(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed > 0 ? 1 : 0);
export {};
