/**
 * A site's canned responses in the console: its operators read them (the `/` picker in the reply
 * box), its admins create, change and delete them. Another site's are `not_found`, whatever id is sent.
 */
import { CANNED_LIMITS, type CannedResponseDto, type CannedResponseInput, type OperatorProfile } from '@support-chat/protocol';
import { OperatorError } from './operator-errors.ts';
import { ShortcutTaken, type CannedResponseRecord, type CannedResponses } from './ports.ts';
import type { SiteAccess, SiteNeed } from './site-access.ts';

type Caller = Pick<OperatorProfile, 'id'>;
const NOT_FOUND = 'No such canned response';

export class CannedResponsesAdmin {
  constructor(private readonly deps: { responses: CannedResponses; access: Pick<SiteAccess, 'site'> }) {}

  async list(siteKey: string | undefined, operator: Caller): Promise<CannedResponseDto[]> {
    return (await this.deps.responses.list(await this.siteOf(siteKey, operator, 'member'))).map(toDto);
  }

  async save(input: CannedResponseInput, operator: Caller): Promise<CannedResponseDto> {
    const siteId = await this.siteOf(input.siteKey, operator, 'admin');
    if (!input.id && (await this.deps.responses.count(siteId)) >= CANNED_LIMITS.perSite) {
      throw new OperatorError('conflict', `A site keeps at most ${CANNED_LIMITS.perSite} canned responses`);
    }
    let saved: CannedResponseRecord | null;
    try {
      saved = await this.deps.responses.save(siteId, input.id ?? null, { shortcut: input.shortcut, text: input.text });
    } catch (error) {
      if (error instanceof ShortcutTaken) throw new OperatorError('conflict', error.message);
      throw error;
    }
    if (!saved) throw new OperatorError('not_found', NOT_FOUND);
    return toDto(saved);
  }

  async delete(siteKey: string | undefined, id: string, operator: Caller): Promise<{ id: string }> {
    const siteId = await this.siteOf(siteKey, operator, 'admin');
    if (!(await this.deps.responses.delete(siteId, id))) throw new OperatorError('not_found', NOT_FOUND);
    return { id };
  }

  private async siteOf(siteKey: string | undefined, operator: Caller, need: SiteNeed): Promise<string> {
    return (await this.deps.access.site(operator, siteKey, need, 'Only admins edit canned responses')).site.id;
  }
}

function toDto(r: CannedResponseRecord): CannedResponseDto {
  return { id: r.id, shortcut: r.shortcut, text: r.text, updatedAt: r.updatedAt.toISOString() };
}
