/**
 * Realtime on Socket.IO: services call it, it emits to rooms. With the Redis adapter the rooms
 * span every server process, so a reply delivered by process A reaches a widget on process B.
 */
import type { ConversationStatus, IncidentDto, MessageDto, Priority, QueueItem } from '@support-chat/protocol';
import type { Realtime } from '../services/ports.ts';
import { toDto } from './visitor-namespace.ts';
import { rooms, type OperatorNamespace, type VisitorNamespace } from './typed-io.ts';

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

export class SocketRealtime implements Realtime {
  private visitors: VisitorNamespace | null = null;
  private operators: OperatorNamespace | null = null;
  private online = 0;
  private presenceTimer: NodeJS.Timeout | null = null;
  /** True while asking every process fails: this process counts only its own operators. */
  private presenceDegraded = false;
  private closed = false;

  constructor(private readonly options: SocketRealtimeOptions = {}) {}

  attach(visitors: VisitorNamespace, operators: OperatorNamespace): void {
    this.visitors = visitors;
    this.operators = operators;
    this.schedulePresence(PRESENCE_REFRESH_MS);
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
      .in(rooms.operators)
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
        return this.operators!.local.in(rooms.operators).fetchSockets();
      });
    const count = new Set(sockets.map((s) => s.data.operator?.id)).size;
    if (count !== this.online) {
      this.online = count;
      this.visitors?.emit('operators:online', { count });
      this.operators.emit('operators:online', { count });
    }
    return count;
  }

  operatorsOnline(): number {
    return this.online;
  }

  message(conversationId: string, message: MessageDto): void {
    const dto = toDto(message as Parameters<typeof toDto>[0]);
    this.visitors?.to(rooms.conversation(conversationId)).emit('message:new', dto);
    this.operators?.to(rooms.watching(conversationId)).emit('conversation:message', dto);
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

  queueUpsert(item: QueueItem): void {
    this.operators?.to(rooms.operators).emit('queue:upsert', item);
  }

  queueRemove(conversationId: string): void {
    this.operators?.to(rooms.operators).emit('queue:remove', { conversationId });
  }

  incidentOpened(siteId: string, incident: IncidentDto, bannerText: { ru: string; en: string }): void {
    this.operators?.to(rooms.operators).emit('incident:opened', incident);
    this.visitors?.to(rooms.site(siteId)).emit('incident', { id: incident.id, kind: 'MASS_OUTAGE', status: 'OPEN', text: bannerText.ru });
  }

  incidentResolved(siteId: string, incident: IncidentDto): void {
    this.operators?.to(rooms.operators).emit('incident:resolved', incident);
    this.visitors?.to(rooms.site(siteId)).emit('incident', null);
  }

  ratingRequest(conversationId: string): void {
    this.visitors?.to(rooms.conversation(conversationId)).emit('rating:request', { conversationId });
  }

  close(): void {
    this.closed = true;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
  }
}
