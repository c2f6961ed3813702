/**
 * The audit log of operator actions. Services that claim, transfer, resolve, hand back, erase,
 * edit templates or change a site call `record` after the action is done; a failure to write the
 * entry is reported (logged and counted) but does not undo or fail the action. Site admins (and
 * owners) read their site's log.
 */
import type { AuditEntryDto, OperatorProfile } from '@support-chat/protocol';
import type { AuditLog, AuditRecord } from './ports.ts';
import type { SiteAccess } from './site-access.ts';

const PAGE = 100;

/** What services call: the small port another service (transfer, say) needs. */
export type AuditRecorder = Pick<AuditTrail, 'record'>;

export class AuditTrail {
  constructor(
    private readonly deps: {
      log: AuditLog;
      access: SiteAccess;
      onError: (error: unknown, context: string) => void;
    },
  ) {}

  async record(entry: AuditRecord): Promise<void> {
    try {
      await this.deps.log.record(entry);
    } catch (error) {
      this.deps.onError(error, 'audit log');
    }
  }

  /** The site's entries, newest first (admins and owners only). */
  async list(siteKey: string | undefined, before: Date | undefined, operator: Pick<OperatorProfile, 'id'>): Promise<AuditEntryDto[]> {
    const { site } = await this.deps.access.site(operator, siteKey, 'admin', "Only the site's admins read its audit log");
    return this.deps.log.list(site.id, { before, limit: PAGE });
  }
}

/** Records nothing: for services built without an audit log (unit tests). */
export const noAudit: AuditRecorder = { record: async () => undefined };
