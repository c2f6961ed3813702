/**
 * Knowledge-base articles in the `KnowledgeArticle` table. Edits are rare (an admin in the
 * console, an import); the bot reads a site's articles once per index build, not per message.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { SlugTaken, type KnowledgeArticleFields, type KnowledgeArticleRecord, type KnowledgeArticles } from '../../services/ports.ts';

const RECORD = { id: true, siteId: true, slug: true, title: true, body: true, url: true, locale: true, enabled: true, updatedAt: true } as const;

export class PrismaKnowledgeArticles implements KnowledgeArticles {
  constructor(private readonly db: PrismaClient) {}

  list(siteId: string, options: { enabledOnly?: boolean } = {}): Promise<KnowledgeArticleRecord[]> {
    return this.db.knowledgeArticle.findMany({
      where: { siteId, ...(options.enabledOnly ? { enabled: true } : {}) },
      select: RECORD,
      orderBy: [{ title: 'asc' }, { id: 'asc' }],
    });
  }

  async save(siteId: string, id: string | null, fields: KnowledgeArticleFields): Promise<KnowledgeArticleRecord | null> {
    try {
      if (id === null) return await this.db.knowledgeArticle.create({ data: { siteId, ...fields }, select: RECORD });
      // updateMany scopes the id by site: another site's article id changes nothing.
      const { count } = await this.db.knowledgeArticle.updateMany({ where: { id, siteId }, data: fields });
      return count === 0 ? null : await this.db.knowledgeArticle.findUnique({ where: { id }, select: RECORD });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new SlugTaken(`another article is already called "${fields.slug}"`);
      throw error;
    }
  }

  async delete(siteId: string, id: string): Promise<boolean> {
    const { count } = await this.db.knowledgeArticle.deleteMany({ where: { id, siteId } });
    return count > 0;
  }

  async replaceAll(siteId: string, articles: readonly KnowledgeArticleFields[]) {
    return this.db.$transaction(async (tx) => {
      const existing = new Map((await tx.knowledgeArticle.findMany({ where: { siteId }, select: RECORD })).map((a) => [a.slug, a]));
      const added: string[] = [];
      const updated: string[] = [];
      let unchanged = 0;
      for (const article of articles) {
        const before = existing.get(article.slug);
        existing.delete(article.slug);
        if (!before) {
          await tx.knowledgeArticle.create({ data: { siteId, ...article } });
          added.push(article.slug);
        } else if (differs(before, article)) {
          await tx.knowledgeArticle.update({ where: { id: before.id }, data: article });
          updated.push(article.slug);
        } else unchanged++;
      }
      const removed = [...existing.keys()];
      if (removed.length > 0) await tx.knowledgeArticle.deleteMany({ where: { siteId, slug: { in: removed } } });
      return { added, updated, removed, unchanged };
    });
  }
}

function differs(a: KnowledgeArticleRecord, b: KnowledgeArticleFields): boolean {
  return a.title !== b.title || a.body !== b.body || a.url !== b.url || a.locale !== b.locale || a.enabled !== b.enabled;
}
