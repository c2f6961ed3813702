/**
 * The bot's side of the knowledge base: one in-memory index per site, built from its enabled
 * articles on first use and rebuilt after an edit. An edit in any process bumps a version in the
 * shared cache (Redis when configured); each process compares it at most once a second, so an
 * edit reaches every process's index within about a second without a read per message.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { checkGroundedAnswer } from '../domain/knowledge/grounded-answer.ts';
import { buildKnowledgeIndexInSteps, type KnowledgeAnswer, type KnowledgeArticleInput, type KnowledgeIndex } from '../domain/knowledge/index.ts';
import type { Clock, KeyValueCache, KnowledgeArticles } from './ports.ts';

/** How long a built index is trusted without a version check at all (a lost version write). */
const MAX_INDEX_AGE_MS = 10 * 60_000;
const VERSION_CHECK_EVERY_MS = 1000;
/** Outlives any index (see MAX_INDEX_AGE_MS). */
const VERSION_TTL_SECONDS = 7 * 24 * 3600;

interface SiteIndex {
  index: KnowledgeIndex;
  version: string | null;
  builtAt: number;
  checkedAt: number;
}

export class KnowledgeService {
  private readonly indexes = new Map<string, SiteIndex>();
  /** One build per site at a time: a burst of questions shares it. */
  private readonly building = new Map<string, Promise<SiteIndex>>();

  constructor(
    private readonly deps: {
      articles: KnowledgeArticles;
      versions: KeyValueCache;
      clock: Clock;
      /**
       * The optional LLM mode (KNOWLEDGE_LLM): the passage said as an answer to this question, or
       * null to quote it as it is. Whatever it returns is checked against the passage here.
       */
      rephrase?: ((siteId: string, question: string, answer: KnowledgeAnswer) => Promise<string | null>) | undefined;
    },
  ) {}

  /** The passage that answers `question` (rephrased in the LLM mode), or null when no article does confidently. */
  async answer(siteId: string, question: string, options: { asking?: boolean } = {}): Promise<KnowledgeAnswer | null> {
    const { index } = await this.indexOf(siteId);
    const found = index.size === 0 ? null : index.answer(question, options);
    if (!found || !this.deps.rephrase) return found;
    const rephrased = await this.deps.rephrase(siteId, question, found).catch(() => null);
    // The guarantee does not rest on the rephraser: text the passage does not support is never sent.
    const checked = rephrased === null ? null : checkGroundedAnswer(rephrased, [found.passage]);
    return checked?.ok ? { ...found, passage: checked.text } : found;
  }

  /** After an edit: this process rebuilds at once, the others at their next version check. */
  async invalidate(siteId: string): Promise<void> {
    this.indexes.delete(siteId);
    await this.deps.versions.set(versionKey(siteId), randomUUID(), VERSION_TTL_SECONDS);
  }

  private async indexOf(siteId: string): Promise<SiteIndex> {
    const now = this.deps.clock.now().getTime();
    const current = this.indexes.get(siteId);
    if (current && now - current.builtAt < MAX_INDEX_AGE_MS) {
      if (now - current.checkedAt < VERSION_CHECK_EVERY_MS) return current;
      current.checkedAt = now;
      if ((await this.deps.versions.get(versionKey(siteId))) === current.version) return current;
    }
    let build = this.building.get(siteId);
    if (!build) {
      build = this.build(siteId).finally(() => this.building.delete(siteId));
      this.building.set(siteId, build);
    }
    return build;
  }

  private async build(siteId: string): Promise<SiteIndex> {
    // The version is read before the articles: an edit racing the build leaves a newer version, so
    // the next check rebuilds rather than keeping an index that misses the edit.
    const version = await this.deps.versions.get(versionKey(siteId));
    const articles = await this.deps.articles.list(siteId, { enabledOnly: true });
    const index = await buildBetweenOtherWork(articles.map((a) => ({ id: a.id, title: a.title, body: a.body, url: a.url, locale: a.locale })));
    const now = this.deps.clock.now().getTime();
    const built = { index, version, builtAt: now, checkedAt: now };
    this.indexes.set(siteId, built);
    return built;
  }
}

/**
 * Indexing 500 articles costs seconds of CPU; done in one go it would stall every visitor and
 * operator of every site meanwhile. One article per turn of the event loop lets timers, sockets
 * and other questions run between them.
 */
async function buildBetweenOtherWork(articles: readonly KnowledgeArticleInput[]): Promise<KnowledgeIndex> {
  const steps = buildKnowledgeIndexInSteps(articles);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

const versionKey = (siteId: string) => `knowledge-version:${siteId}`;
