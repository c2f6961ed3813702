/**
 * The logged-in console: owns the socket, turns its events into reducer actions and the
 * operator's clicks into requests. The panels below it only render and call back.
 */
import type { Ack, ErrorBody, QueueItem } from '@support-chat/protocol';
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { connectOperator, isUnauthorized, request, unauthorizedReason, type OperatorSocket } from '../api/operator-socket.ts';
import type { Session } from '../session.ts';
import { consoleReducer, initialConsoleState, itemChanged } from '../state/console-state.ts';
import { newClientMessageId } from '../state/ids.ts';
import { createTypingNotifier } from '../state/typing-notifier.ts';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { ConversationView, type ConversationActions } from './ConversationView.tsx';
import { Header, type View } from './Header.tsx';
import { IncidentsPanel } from './IncidentsPanel.tsx';
import { KnowledgePanel } from './KnowledgePanel.tsx';
import { QueueList } from './QueueList.tsx';
import { TemplatesEditor } from './TemplatesEditor.tsx';
import { useNow } from './use-now.ts';

export interface ConsoleScreenProps {
  session: Session;
  /** `reason` is shown on the login form (null for an ordinary log out). */
  onLogout: (reason: string | null) => void;
}

/** A visitor who stops typing without a `false` (closed tab) must not look busy forever. */
const TYPING_STALE_MS = 8000;

export function ConsoleScreen({ session, onLogout }: ConsoleScreenProps) {
  const { operator } = session;
  const [state, dispatch] = useReducer(consoleReducer, initialConsoleState);
  const [socket, setSocket] = useState<OperatorSocket | null>(null);
  const [view, setView] = useState<View>('conversations');
  const [notice, setNotice] = useState<{ conversationId: string; text: string } | null>(null);
  const now = useNow(30_000);

  // Socket handlers outlive renders: they read the selection through a ref.
  const selected = useRef<string | null>(null);
  const logout = useRef(onLogout);
  logout.current = onLogout;

  const openConversation = async (s: OperatorSocket, conversationId: string) => {
    const res = await request(s, 'conversation:open', { conversationId });
    if (res.ok) dispatch({ type: 'opened', detail: res.data });
    else if (selected.current === conversationId) setNotice({ conversationId, text: res.error.message });
  };

  useEffect(() => {
    const s = connectOperator(session.token);
    setSocket(s);
    let typingTimer: ReturnType<typeof setTimeout> | undefined;

    s.on('connect', async () => {
      dispatch({ type: 'connection', status: 'online' });
      const res = await request(s, 'queue:list');
      if (res.ok) dispatch({ type: 'queue:loaded', items: res.data.items, incidents: res.data.incidents });
      // A new connection has joined no conversation room yet: reopen the one on screen.
      if (selected.current) void openConversation(s, selected.current);
    });
    s.on('disconnect', (reason) => {
      dispatch({ type: 'connection', status: 'offline' });
      // The server cut the socket (its session was revoked or expired): reconnecting lets the
      // handshake say why, which sends the operator to the login form.
      if (reason === 'io server disconnect') s.connect();
    });
    s.on('connect_error', (error) => {
      if (isUnauthorized(error)) {
        s.disconnect();
        logout.current(unauthorizedReason(error));
      } else {
        dispatch({ type: 'connection', status: 'offline' }); // socket.io keeps retrying
      }
    });
    s.on('queue:upsert', (item) => dispatch({ type: 'queue:upsert', item }));
    s.on('queue:remove', ({ conversationId }) => {
      dispatch({ type: 'queue:remove', conversationId });
      // Resolved or handed back, maybe by someone else: show its real status.
      if (conversationId === selected.current) void openConversation(s, conversationId);
    });
    s.on('conversation:message', (message) => dispatch({ type: 'message', message }));
    s.on('conversation:typing', ({ conversationId, typing }) => {
      clearTimeout(typingTimer);
      dispatch({ type: 'typing', conversationId, typing });
      if (typing) typingTimer = setTimeout(() => dispatch({ type: 'typing', conversationId, typing: false }), TYPING_STALE_MS);
    });
    s.on('incident:opened', (incident) => dispatch({ type: 'incident:opened', incident }));
    s.on('incident:resolved', (incident) => dispatch({ type: 'incident:resolved', incident }));
    s.on('operators:online', ({ count }) => dispatch({ type: 'online', count }));

    return () => {
      clearTimeout(typingTimer);
      s.removeAllListeners();
      s.disconnect();
    };
  }, [session.token]);

  const typing = useMemo(
    () =>
      createTypingNotifier({
        send: (isTyping) => {
          const conversationId = selected.current;
          if (socket?.connected && conversationId) socket.emit('conversation:typing', { conversationId, typing: isTyping });
        },
      }),
    [socket],
  );
  useEffect(() => () => typing.stop(), [typing]);

  const select = (conversationId: string) => {
    if (!socket || conversationId === selected.current) return;
    typing.stop(); // tells the conversation being left
    selected.current = conversationId;
    setNotice(null);
    dispatch({ type: 'select', conversationId });
    void openConversation(socket, conversationId);
  };

  /** Runs a conversation action; a refusal becomes the notice above the messages. */
  const act = async <T,>(conversationId: string, run: () => Promise<Ack<T>>, onError?: (e: ErrorBody) => string): Promise<T | null> => {
    setNotice(null);
    const res = await run();
    if (res.ok) return res.data;
    if (selected.current === conversationId) setNotice({ conversationId, text: onError?.(res.error) ?? res.error.message });
    return null;
  };

  const open = state.open;
  const actions: ConversationActions | null =
    socket && open
      ? {
          claim: async () => {
            const { conversationId } = open.item;
            const item = await act(conversationId, () => request(socket, 'conversation:claim', { conversationId }), (error) =>
              alreadyTaken(error, state.queue.find((q) => q.conversationId === conversationId) ?? open.item),
            );
            if (item) dispatch(itemChanged(item));
          },
          reply: async (text, clientMessageId) => {
            const { conversationId } = open.item;
            typing.stop();
            const message = await act(conversationId, () => request(socket, 'conversation:reply', { conversationId, text, clientMessageId }));
            if (message) dispatch({ type: 'message', message });
            return message !== null;
          },
          resolve: async () => {
            const { conversationId } = open.item;
            typing.stop();
            const item = await act(conversationId, () => request(socket, 'conversation:resolve', { conversationId }));
            if (item) dispatch(itemChanged(item));
          },
          handBack: async () => {
            const { conversationId } = open.item;
            typing.stop();
            const item = await act(conversationId, () => request(socket, 'conversation:handback', { conversationId }));
            if (item) dispatch(itemChanged(item));
          },
          markWrong: async (messageId, wrong) => {
            const { conversationId } = open.item;
            const message = await act(conversationId, () => request(socket, 'message:mark-wrong', { conversationId, messageId, wrong }));
            if (!message) return;
            // Over what the console has, so an ack carrying fewer fields than the stored message loses none of them.
            const known = open.messages.find((m) => m.id === message.id);
            dispatch({ type: 'message', message: { ...known, ...message } });
          },
          typing: () => typing.input(),
          stopTyping: () => typing.stop(),
          newClientMessageId,
        }
      : null;

  const resolveIncident = async (incidentId: string, message: string): Promise<string | null> => {
    if (!socket) return 'Not connected';
    const res = await request(socket, 'incident:resolve', { incidentId, message });
    if (!res.ok) return res.error.message;
    dispatch({ type: 'incident:resolved', incident: res.data });
    return null;
  };

  // The console works on the operator's default site (its first); owners administer every site.
  const isAdmin = operator.role === 'owner' || operator.sites[0]?.role === 'admin';
  return (
    <div class="console">
      <Header
        operator={operator}
        connection={state.connection}
        operatorsOnline={state.operatorsOnline}
        view={view}
        onView={setView}
        onLogout={() => onLogout(null)}
      />
      {view === 'templates' && isAdmin && socket ? (
        <TemplatesEditor socket={socket} />
      ) : view === 'apikeys' && isAdmin && socket ? (
        <ApiKeysPanel socket={socket} />
      ) : view === 'knowledge' && socket ? (
        <KnowledgePanel socket={socket} canEdit={isAdmin} />
      ) : (
        <div class="workspace">
          <aside class="sidebar" aria-label="Queue and incidents">
            <IncidentsPanel incidents={state.incidents} onResolve={resolveIncident} />
            <QueueList items={state.queue} loaded={state.loaded} selectedId={state.selectedId} me={operator.id} now={now} onSelect={select} />
          </aside>
          <main class="pane">
            {state.selectedId === null ? (
              <div class="empty">
                <h2>No conversation open</h2>
                <p class="muted">Pick one from the queue. Conversations appear there when the bot hands them to people.</p>
              </div>
            ) : open && actions ? (
              <ConversationView
                key={open.item.conversationId}
                conversation={open}
                me={operator}
                now={now}
                notice={notice?.conversationId === open.item.conversationId ? notice.text : null}
                actions={actions}
              />
            ) : (
              <div class="empty" role="status">
                {notice?.conversationId === state.selectedId ? <p class="notice error">{notice.text}</p> : <p class="muted">Loading the conversation…</p>}
              </div>
            )}
          </main>
        </div>
      )}
    </div>
  );
}

/** The server says "Already taken by <name>"; say it the same way when it only sent a code. */
function alreadyTaken(error: ErrorBody, item: QueueItem): string {
  if (error.code !== 'already_claimed' || error.message.startsWith('Already taken by')) return error.message;
  return `Already taken by ${item.ownerName ?? 'another operator'}`;
}
