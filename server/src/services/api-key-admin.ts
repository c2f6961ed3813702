/**
 * Admins manage their site's REST API keys from the console: list, create (the key is in the
 * answer once, never again), revoke. Operators who are not admins are refused.
 */
import type { ApiKeyDto, OperatorProfile } from '@support-chat/protocol';
import { OperatorError } from './operator-service.ts';
import type { ApiKeyRecord, ApiKeys, ChatStore } from './ports.ts';

export class ApiKeyAdmin {
  constructor(private readonly deps: { apiKeys: ApiKeys; store: Pick<ChatStore, 'findSiteByKey'> }) {}

  async list(siteKey: string, operator: OperatorProfile): Promise<ApiKeyDto[]> {
    const siteId = await this.siteOf(siteKey, operator);
    return (await this.deps.apiKeys.list(siteId)).map(toDto);
  }

  async create(siteKey: string, name: string, operator: OperatorProfile): Promise<{ key: string; record: ApiKeyDto }> {
    const siteId = await this.siteOf(siteKey, operator);
    const { key, record } = await this.deps.apiKeys.create(siteId, name);
    return { key, record: toDto(record) };
  }

  async revoke(siteKey: string, id: string, operator: OperatorProfile): Promise<ApiKeyDto> {
    const siteId = await this.siteOf(siteKey, operator);
    const revoked = await this.deps.apiKeys.revoke(siteId, id);
    if (!revoked) throw new OperatorError('not_found', 'No such API key');
    return toDto(revoked);
  }

  private async siteOf(siteKey: string, operator: OperatorProfile): Promise<string> {
    if (operator.role !== 'admin') throw new OperatorError('forbidden', 'Only admins manage API keys');
    const site = await this.deps.store.findSiteByKey(siteKey);
    if (!site) throw new OperatorError('not_found', 'No such site');
    return site.id;
  }
}

function toDto(k: ApiKeyRecord): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
