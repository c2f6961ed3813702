/**
 * The console's side of the knowledge base: a site's operators read its articles, its admins
 * change them. Each change rebuilds the bot's index (in every process, see KnowledgeService).
 */
import type { KnowledgeArticleDto, KnowledgeArticleInput, OperatorProfile } from '@support-chat/protocol';
import { slugify } from '../domain/knowledge/slug.ts';
import type { KnowledgeService } from './knowledge-service.ts';
import { OperatorError } from './operator-errors.ts';
import { SlugTaken, type KnowledgeArticleRecord, type KnowledgeArticles } from './ports.ts';
import type { SiteAccess, SiteNeed } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id'>;

export class KnowledgeAdmin {
  constructor(private readonly deps: { articles: KnowledgeArticles; knowledge: KnowledgeService; access: SiteAccess }) {}

  async list(siteKey: string | undefined, operator: Caller): Promise<KnowledgeArticleDto[]> {
    return (await this.deps.articles.list(await this.siteOf(siteKey, operator, 'member'))).map(toDto);
  }

  async save(siteKey: string | undefined, input: KnowledgeArticleInput, operator: Caller): Promise<KnowledgeArticleDto> {
    const siteId = await this.siteOf(siteKey, operator, 'admin');
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

  async delete(siteKey: string | undefined, id: string, operator: Caller): Promise<{ id: string }> {
    const siteId = await this.siteOf(siteKey, operator, 'admin');
    if (!(await this.deps.articles.delete(siteId, id))) throw new OperatorError('not_found', 'No such article');
    await this.deps.knowledge.invalidate(siteId);
    return { id };
  }

  private async siteOf(siteKey: string | undefined, operator: Caller, need: SiteNeed): Promise<string> {
    return (await this.deps.access.site(operator, siteKey, need, 'Only admins edit the knowledge base')).site.id;
  }
}

function toDto(a: KnowledgeArticleRecord): KnowledgeArticleDto {
  return { id: a.id, slug: a.slug, title: a.title, body: a.body, url: a.url, locale: a.locale, enabled: a.enabled, updatedAt: a.updatedAt.toISOString() };
}
