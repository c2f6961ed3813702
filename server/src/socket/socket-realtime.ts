/**
 * Realtime on Socket.IO: services call it, it emits to rooms. With the Redis adapter the rooms
 * span every server process, so a reply delivered by process A reaches a widget on process B.
 */
import type { ConversationStatus, IncidentDto, NoteDto, OperatorProfile, Priority, PublicWidgetSettings, QueueItem, QueuePlace } from '@support-chat/protocol';
import type { MessageAudience, Realtime, VisibleMessage } from '../services/ports.ts';
import { toDto, toVisitorDto } from './visitor-namespace.ts';
import { rooms, type OperatorNamespace, type OperatorSocketData, type VisitorNamespace } from './typed-io.ts';

/** Presence is refreshed this often, and on every operator connect and disconnect. */
const PRESENCE_REFRESH_MS = 5000;
/**
 * While the other processes cannot be asked (Redis is down), ask again this soon: the question
 * fails at once without Redis, and the count is right again within a second or two of its return.
 */
const PRESENCE_RETRY_MS = 1000;

export interface SocketRealtimeOptions {
  /** Told once when presence across processes starts failing (not on every retry)… */
  onError?: (error: unknown, context: string) => void;
  /** … and once when it works again. */
  onRecovered?: (context: string) => void;
}

/** Who is online: every operator, the owners, and per site its members (owners not included). */
interface Presence {
  total: number;
  owners: number;
  /** Per site with a member online: its members and the owners. */
  bySite: Map<string, number>;
  /** Per site: the ids of its members online (owners not included), for auto-assignment. */
  members: Map<string, Set<string>>;
  keys: Map<string, string>;
}

const NOBODY: Presence = { total: 0, owners: 0, bySite: new Map(), members: new Map(), keys: new Map() };

/** Counts distinct operators (several tabs are one operator) from the sockets' data. */
export function countPresence(sockets: readonly { data: Partial<OperatorSocketData> }[]): Presence {
  const all = new Set<string>();
  const owners = new Set<string>();
  const members = new Map<string, Set<string>>();
  const keys = new Map<string, string>();
  for (const { data } of sockets) {
    const id = data.operator?.id;
    if (!id) continue;
    all.add(id);
    if (data.operator?.role === 'owner') owners.add(id);
    for (const site of data.sites ?? []) {
      keys.set(site.id, site.key);
      const set = members.get(site.id) ?? new Set<string>();
      set.add(id);
      members.set(site.id, set);
    }
  }
  const bySite = new Map([...members].map(([siteId, ids]) => [siteId, new Set([...ids, ...owners]).size]));
  return { total: all.size, owners: owners.size, bySite, members, keys };
}

export class SocketRealtime implements Realtime {
  private visitors: VisitorNamespace | null = null;
  private operators: OperatorNamespace | null = null;
  /** Whether other server processes share the rooms (the Redis adapter). */
  private clustered = false;
  private presence: Presence = NOBODY;
  private accessListener: ((operatorId: string) => void) | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  /** True while asking every process fails: this process counts only its own operators. */
  private presenceDegraded = false;
  private closed = false;

  constructor(private readonly options: SocketRealtimeOptions = {}) {}

  attach(visitors: VisitorNamespace, operators: OperatorNamespace, options: { clustered?: boolean } = {}): void {
    this.visitors = visitors;
    this.operators = operators;
    this.clustered = options.clustered ?? false;
    this.schedulePresence(PRESENCE_REFRESH_MS);
  }

  /** What to do here when an operator's access changed (the operator namespace re-syncs its sockets). */
  onOperatorAccess(listener: (operatorId: string) => void): void {
    this.accessListener = listener;
  }

  private schedulePresence(ms: number): void {
    if (this.closed) return;
    this.presenceTimer = setTimeout(() => {
      void this.refreshPresence().then(() => this.schedulePresence(this.presenceDegraded ? PRESENCE_RETRY_MS : PRESENCE_REFRESH_MS));
    }, ms);
    this.presenceTimer.unref();
  }

  /** Never rejects: without Redis it counts this process's operators. */
  async refreshPresence(): Promise<number> {
    if (!this.operators) return 0;
    const sockets = await this.operators
      .fetchSockets()
      .then((all) => {
        if (this.presenceDegraded) this.options.onRecovered?.('presence');
        this.presenceDegraded = false;
        return all;
      })
      .catch((error: unknown) => {
        // Presence across processes goes through Redis: without it, count this process's own operators.
        if (!this.presenceDegraded) this.options.onError?.(error, 'presence');
        this.presenceDegraded = true;
        return this.operators!.local.fetchSockets();
      });
    const before = this.presence;
    const now = countPresence(sockets);
    this.presence = now;
    this.announce(before, now);
    return now.total;
  }

  /** Tells each site's widgets and consoles its own count when it changed; the owners the total. */
  private announce(before: Presence, now: Presence): void {
    const visitors = this.visitors;
    const operators = this.operators!;
    for (const siteId of new Set([...before.bySite.keys(), ...now.bySite.keys()])) {
      const count = now.bySite.get(siteId) ?? now.owners;
      if (count === (before.bySite.get(siteId) ?? before.owners)) continue;
      visitors?.to(rooms.site(siteId)).emit('operators:online', { count });
      const siteKey = now.keys.get(siteId) ?? before.keys.get(siteId);
      if (siteKey) operators.to(rooms.siteOperators(siteId)).emit('operators:online', { count, siteKey });
    }
    // Sites with no member online count the owners only.
    if (now.owners !== before.owners) visitors?.except([...now.bySite.keys()].map(rooms.site)).emit('operators:online', { count: now.owners });
    if (now.total !== before.total) operators.to(rooms.owners).emit('operators:online', { count: now.total });
  }

  /** A console that just connected is told the counts it would have heard (the others only hear changes). */
  presenceFor(data: Pick<OperatorSocketData, 'operator' | 'sites'>): { count: number; siteKey?: string }[] {
    const counts: { count: number; siteKey?: string }[] = data.sites.map((site) => ({ count: this.operatorsOnline(site.id), siteKey: site.key }));
    if (data.operator.role === 'owner') counts.push({ count: this.presence.total });
    return counts;
  }

  operatorsOnline(siteId?: string): number {
    if (siteId === undefined) return this.presence.total;
    return this.presence.bySite.get(siteId) ?? this.presence.owners;
  }

  onlineMembers(siteId: string): string[] {
    return [...(this.presence.members.get(siteId) ?? [])];
  }

  assigned(operatorId: string, item: QueueItem, from: string | null): void {
    this.operators?.to(rooms.operator(operatorId)).emit('conversation:assigned', { item, from });
  }

  profile(operatorId: string, profile: OperatorProfile): void {
    this.operators?.to(rooms.operator(operatorId)).emit('operator:profile', profile);
  }

  message(conversationId: string, message: VisibleMessage, audience: MessageAudience = {}): void {
    if (audience.widget !== false) {
      const room = this.visitors?.to(rooms.conversation(conversationId));
      (audience.exceptVisitor ? room?.except(audience.exceptVisitor) : room)?.emit('message:new', toVisitorDto(message, audience.visitorOperatorName ?? null));
    }
    this.operators?.to(rooms.watching(conversationId)).emit('conversation:message', toDto(message));
  }

  /** Operators only: a note never goes to a visitor room. */
  note(conversationId: string, note: NoteDto): void {
    this.operators?.to(rooms.watching(conversationId)).emit('conversation:note', note);
  }

  typing(conversationId: string, author: 'bot' | 'operator', typing: boolean): void {
    this.visitors?.to(rooms.conversation(conversationId)).emit('typing', { author, typing });
  }

  visitorTyping(conversationId: string, typing: boolean): void {
    this.operators?.to(rooms.watching(conversationId)).emit('conversation:typing', { conversationId, author: 'visitor', typing });
  }

  status(conversationId: string, status: ConversationStatus, priority: Priority): void {
    this.visitors?.to(rooms.conversation(conversationId)).emit('conversation:status', { status, priority });
  }

  queuePlace(conversationId: string, place: QueuePlace | null): void {
    this.visitors?.to(rooms.conversation(conversationId)).emit('queue:place', place);
  }

  /** The site's operators and the owners: nobody else hears of a site's work. */
  private siteTeam(siteId: string) {
    return this.operators?.to([rooms.siteOperators(siteId), rooms.owners]);
  }

  queueUpsert(siteId: string, item: QueueItem): void {
    this.siteTeam(siteId)?.emit('queue:upsert', item);
  }

  queueRemove(siteId: string, conversationId: string): void {
    this.siteTeam(siteId)?.emit('queue:remove', { conversationId });
  }

  conversationStarted(site: { id: string; key: string }, conversationId: string): void {
    // Nobody of the site online (presence counts every process): no broadcast on the visitors' path.
    if (this.operatorsOnline(site.id) === 0) return;
    this.siteTeam(site.id)?.emit('inbox:started', { conversationId, siteKey: site.key });
  }

  incidentOpened(siteId: string, incident: IncidentDto, bannerText: { ru: string; en: string }): void {
    this.siteTeam(siteId)?.emit('incident:opened', incident);
    this.visitors?.to(rooms.site(siteId)).emit('incident', { id: incident.id, kind: 'MASS_OUTAGE', status: 'OPEN', text: bannerText.ru });
  }

  incidentResolved(siteId: string, incident: IncidentDto): void {
    this.siteTeam(siteId)?.emit('incident:resolved', incident);
    this.visitors?.to(rooms.site(siteId)).emit('incident', null);
  }

  ratingRequest(conversationId: string): void {
    this.visitors?.to(rooms.conversation(conversationId)).emit('rating:request', { conversationId });
  }

  siteSettings(siteId: string, settings: PublicWidgetSettings): void {
    this.visitors?.to(rooms.site(siteId)).emit('site:settings', settings);
  }

  siteDisabled(siteId: string): void {
    this.visitors?.in(rooms.site(siteId)).disconnectSockets(true);
  }

  operatorAccessChanged(operatorId: string): void {
    this.accessListener?.(operatorId);
    if (this.clustered) this.operators?.serverSideEmit('operator:access', operatorId);
  }

  close(): void {
    this.closed = true;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
  }
}
