/**
 * Admins manage their site's REST API keys from the console: list, create (the key is in the
 * answer once, never again), revoke. A site's operators who are not its admins are refused;
 * another site's keys do not exist for them (`not_found`).
 */
import type { ApiKeyDto, OperatorProfile } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import type { ApiKeyRecord, ApiKeys } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id'>;

export class ApiKeyAdmin {
  constructor(private readonly deps: { apiKeys: ApiKeys; access: SiteAccess }) {}

  async list(siteKey: string | undefined, operator: Caller): Promise<ApiKeyDto[]> {
    const siteId = await this.siteOf(siteKey, operator);
    return (await this.deps.apiKeys.list(siteId)).map(toDto);
  }

  async create(siteKey: string | undefined, name: string, operator: Caller): Promise<{ key: string; record: ApiKeyDto }> {
    const siteId = await this.siteOf(siteKey, operator);
    const { key, record } = await this.deps.apiKeys.create(siteId, name);
    return { key, record: toDto(record) };
  }

  async revoke(siteKey: string | undefined, id: string, operator: Caller): Promise<ApiKeyDto> {
    const siteId = await this.siteOf(siteKey, operator);
    const revoked = await this.deps.apiKeys.revoke(siteId, id);
    if (!revoked) throw new OperatorError('not_found', 'No such API key');
    return toDto(revoked);
  }

  private async siteOf(siteKey: string | undefined, operator: Caller): Promise<string> {
    return (await this.deps.access.site(operator, siteKey, 'admin', 'Only admins manage API keys')).site.id;
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
