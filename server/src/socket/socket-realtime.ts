/**
 * Realtime on Socket.IO: services call it, it emits to rooms. With the Redis adapter the rooms
 * span every server process, so a reply delivered by process A reaches a widget on process B.
 */
import type { ConversationStatus, IncidentDto, MessageDto, Priority, QueueItem } from '@support-chat/protocol';
import type { Realtime } from '../services/ports.ts';
import { toDto } from './visitor-namespace.ts';
import { rooms, type OperatorNamespace, type VisitorNamespace } from './typed-io.ts';

export class SocketRealtime implements Realtime {
  private visitors: VisitorNamespace | null = null;
  private operators: OperatorNamespace | null = null;
  private online = 0;
  private presenceTimer: NodeJS.Timeout | null = null;

  attach(visitors: VisitorNamespace, operators: OperatorNamespace): void {
    this.visitors = visitors;
    this.operators = operators;
    // Presence across processes: fetchSockets asks every node; refreshed every few seconds and on change.
    this.presenceTimer = setInterval(() => void this.refreshPresence(), 5000);
    this.presenceTimer.unref();
  }

  async refreshPresence(): Promise<number> {
    if (!this.operators) return 0;
    const sockets = await this.operators.in(rooms.operators).fetchSockets();
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
    if (this.presenceTimer) clearInterval(this.presenceTimer);
  }
}
