/**
 * Host-page bench: what the closed widget costs the page that carries it.
 *
 * The demo page is loaded in Chromium with and without the widget's script tag, interleaved
 * (baseline, widget, baseline, widget…), each load in a fresh browser context (cold cache, as a
 * first visit), served by the server's own static route (server/test/support/static-site.ts).
 * After `load`, the bench waits for the network to go quiet and the browser to go idle twice (when
 * a widget that preloads its app would do so), then reads the renderer's main-thread counters
 * over CDP (`Performance.getMetrics`): TaskDuration (all main-thread work), ScriptDuration,
 * LayoutDuration and RecalcStyleDuration. Medians and the difference are printed; the goal is the
 * widget within 20 ms of TaskDuration of the page alone. Numbers, no assertions.
 *
 *   pnpm build && pnpm exec tsx bench/host-page.ts [runs] [root]
 * `root` is another checkout whose build (dist/widget, demo-site) to measure, e.g. an older one.
 */
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startStaticSite } from '../server/test/support/static-site.ts';

const METRICS = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'] as const;
type Metric = (typeof METRICS)[number];
type Sample = Record<Metric, number> & { widgetRequests: number };

const GOAL_MS = 20;

export interface HostPageOptions {
  /** Loads of each page. */
  runs?: number;
  /** Repository root whose dist/widget and demo-site are served (default: this one). */
  root?: string;
}

export async function runHostPageBench({ runs = 15, root }: HostPageOptions = {}): Promise<void> {
  const site = await startStaticSite(root);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    // One discarded pair: the first loads pay for Chromium's own warm-up.
    await measure(browser, site.baselineUrl, site.widgetOrigin);
    await measure(browser, site.pageUrl, site.widgetOrigin);
    const baseline: Sample[] = [];
    const widget: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(await measure(browser, site.baselineUrl, site.widgetOrigin));
      widget.push(await measure(browser, site.pageUrl, site.widgetOrigin));
    }

    console.log(`host page main-thread time, median of ${runs} interleaved cold loads each (Chromium, CDP Performance.getMetrics)`);
    console.log(`  ${'ms'.padEnd(20)} ${'page alone'.padStart(11)} ${'with widget'.padStart(12)} ${'difference'.padStart(11)}`);
    for (const metric of METRICS) {
      const a = median(baseline.map((s) => s[metric]));
      const b = median(widget.map((s) => s[metric]));
      console.log(`  ${metric.padEnd(20)} ${a.toFixed(1).padStart(11)} ${b.toFixed(1).padStart(12)} ${(b - a).toFixed(1).padStart(11)}`);
    }
    const diff = median(widget.map((s) => s.TaskDuration)) - median(baseline.map((s) => s.TaskDuration));
    console.log(`  TaskDuration difference ${diff.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms) → ${diff <= GOAL_MS ? 'ok' : 'over goal'}`);
    const requests = [...new Set(widget.map((s) => s.widgetRequests))].join('/');
    console.log(`  widget files fetched per page view with the widget: ${requests} (the loader only: 1)`);
  } finally {
    await browser.close();
    await site.close();
  }
}

/** One cold load of `url`; main-thread counters in ms once the page has settled. */
async function measure(browser: Browser, url: string, widgetOrigin: string): Promise<Sample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let widgetRequests = 0;
    page.on('request', (r) => void (r.url().startsWith(widgetOrigin) && widgetRequests++));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await counters();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5_000 })));
    const after = await counters();
    const sample = { widgetRequests } as Sample;
    for (const metric of METRICS) sample[metric] = (after[metric] - before[metric]) * 1000;
    return sample;

    async function counters(): Promise<Record<Metric, number>> {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const values = new Map(metrics.map((m) => [m.name, m.value]));
      return Object.fromEntries(METRICS.map((name) => [name, values.get(name) ?? NaN])) as Record<Metric, number>;
    }
  } finally {
    await context.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [runs, root] = process.argv.slice(2);
  runHostPageBench({ runs: runs ? Number(runs) : undefined, root }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
