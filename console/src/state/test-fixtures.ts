/** Payloads for the state tests. */
import type { QueueItem } from '@support-chat/protocol';

export function queueItem(over: Partial<QueueItem> & { conversationId: string }): QueueItem {
  return {
    createdAt: '2026-01-01T09:00:00.000Z',
    channel: 'WIDGET',
    siteKey: 'demo',
    siteName: 'Demo',
    visitorId: `visitor-${over.conversationId}`,
    visitorName: null,
    visitorEmail: null,
    status: 'WAITING',
    priority: 'NORMAL',
    escalationReason: 'human_request',
    escalatedAt: '2026-01-01T10:00:00.000Z',
    category: 'HUMAN_REQUEST',
    confidence: 0.9,
    lastMessage: null,
    ownerId: null,
    ownerName: null,
    incidentId: null,
    ...over,
  };
}
