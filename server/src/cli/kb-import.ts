/**
 * Imports a folder of Markdown articles into a site's knowledge base:
 *   pnpm kb:import --site demo <folder>
 * One `.md` file per article (`# Title` first; optional front matter `url:` and `locale:`). The
 * folder is the source of truth: articles are matched by file name — new ones added, changed ones
 * updated, those whose file is gone removed — and it prints what it did. Running servers rebuild
 * their index within a second when they share Redis (REDIS_URL), otherwise within 10 minutes.
 */
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { openCliDatabase } from './open-cli-database.ts';
import { systemClock } from '../adapters/clock.ts';
import { RedisCache } from '../adapters/cache/redis-cache.ts';
import { MemoryCache } from '../adapters/cache/memory-cache.ts';
import { PrismaKnowledgeArticles } from '../adapters/db/prisma-knowledge.ts';
import { readArticleFolder } from '../adapters/knowledge/article-folder.ts';
import { KnowledgeService } from '../services/knowledge-service.ts';

const USAGE = 'usage: pnpm kb:import --site SITE_KEY FOLDER';

const { values, positionals } = parseArgs({ options: { site: { type: 'string' } }, allowPositionals: true });
const [folder] = positionals;
if (!values.site || !folder || positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
  console.error(`kb:import: "${folder}" is not a folder`);
  process.exit(2);
}

const { articles: found, skipped } = await readArticleFolder(folder);
for (const { file, reason } of skipped) console.error(`skipped ${file}: ${reason}`);

const { config, db } = await openCliDatabase('kb:import', ', or edit articles in the console');
const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
try {
  const site = await db.prisma.site.findUnique({ where: { key: values.site }, select: { id: true } });
  if (!site) {
    console.error(`kb:import: no site with key "${values.site}"`);
    process.exitCode = 1;
  } else {
    const articles = new PrismaKnowledgeArticles(db.prisma);
    const result = await articles.replaceAll(site.id, found);
    const versions = redis
      ? new RedisCache(redis, `${config.REDIS_PREFIX}:cache:`, (operation, error) => console.error(`kb:import: could not tell running servers (${operation}): ${String(error)}`))
      : new MemoryCache(systemClock);
    if (redis) await redis.connect().catch(() => undefined);
    await new KnowledgeService({ articles, versions, clock: systemClock }).invalidate(site.id);
    const list = (label: string, slugs: string[]) => `${label} ${slugs.length}${slugs.length ? ` (${slugs.join(', ')})` : ''}`;
    console.log(
      `site "${values.site}": ${list('added', result.added)}, ${list('updated', result.updated)}, ${list('removed', result.removed)}, unchanged ${result.unchanged}` +
        (skipped.length ? `; skipped ${skipped.length} file(s)` : ''),
    );
  }
} finally {
  redis?.disconnect();
  await db.close();
}
