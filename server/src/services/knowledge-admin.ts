/**
 * The console's side of the knowledge base: every operator reads the articles, admins change
 * them. Each change rebuilds the bot's index (in every process, see KnowledgeService).
 */
import type { KnowledgeArticleDto, KnowledgeArticleInput, OperatorProfile } from '@support-chat/protocol';
import { slugify } from '../domain/knowledge/slug.ts';
import type { KnowledgeService } from './knowledge-service.ts';
import { OperatorError } from './operator-service.ts';
import { SlugTaken, type ChatStore, type KnowledgeArticleRecord, type KnowledgeArticles } from './ports.ts';

export class KnowledgeAdmin {
  constructor(private readonly deps: { articles: KnowledgeArticles; knowledge: KnowledgeService; store: Pick<ChatStore, 'findSiteByKey'> }) {}

  async list(siteKey: string): Promise<KnowledgeArticleDto[]> {
    return (await this.deps.articles.list(await this.siteOf(siteKey))).map(toDto);
  }

  async save(siteKey: string, input: KnowledgeArticleInput, operator: OperatorProfile): Promise<KnowledgeArticleDto> {
    const siteId = await this.siteOf(siteKey, operator);
    const fields = {
      slug: input.slug?.trim() || slugify(input.title),
      title: input.title,
      body: input.body,
      url: input.url ?? null,
      locale: input.locale ?? null,
      enabled: input.enabled ?? true,
    };
    let saved: KnowledgeArticleRecord | null;
    try {
      saved = await this.deps.articles.save(siteId, input.id ?? null, fields);
    } catch (error) {
      if (error instanceof SlugTaken) throw new OperatorError('conflict', error.message);
      throw error;
    }
    if (!saved) throw new OperatorError('not_found', 'No such article');
    await this.deps.knowledge.invalidate(siteId);
    return toDto(saved);
  }

  async delete(siteKey: string, id: string, operator: OperatorProfile): Promise<{ id: string }> {
    const siteId = await this.siteOf(siteKey, operator);
    if (!(await this.deps.articles.delete(siteId, id))) throw new OperatorError('not_found', 'No such article');
    await this.deps.knowledge.invalidate(siteId);
    return { id };
  }

  /** With an operator: only an admin may change the site's articles. */
  private async siteOf(siteKey: string, editor?: OperatorProfile): Promise<string> {
    if (editor && editor.role !== 'admin') throw new OperatorError('forbidden', 'Only admins edit the knowledge base');
    const site = await this.deps.store.findSiteByKey(siteKey);
    if (!site) throw new OperatorError('not_found', 'No such site');
    return site.id;
  }
}

function toDto(a: KnowledgeArticleRecord): KnowledgeArticleDto {
  return { id: a.id, slug: a.slug, title: a.title, body: a.body, url: a.url, locale: a.locale, enabled: a.enabled, updatedAt: a.updatedAt.toISOString() };
}
