/**
 * The logged-in console: owns the socket, turns its events into reducer actions and the
 * operator's clicks into requests. The panels below it only render and call back.
 */
import type { Ack, CannedResponseDto, ErrorBody, OperatorProfile, QueueItem, SiteDto, TeamMateDto } from '@support-chat/protocol';
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { connectOperator, isUnauthorized, request, unauthorizedReason, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import { consoleReducer, initialConsoleState, itemChanged } from '../state/console-state.ts';
import { newClientMessageId } from '../state/ids.ts';
import { createTypingNotifier } from '../state/typing-notifier.ts';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { shouldAlert } from '../state/alerts.ts';
import { AutoAssignToggle } from './AutoAssignToggle.tsx';
import { askNotificationPermissionOnce, chime, notify } from './notifier.ts';
import { CannedPanel } from './CannedPanel.tsx';
import { AnalyticsPanel } from './AnalyticsPanel.tsx';
import { AuditPanel } from './AuditPanel.tsx';
import { ConversationTools } from './ConversationTools.tsx';
import { ProfilePanel } from './ProfilePanel.tsx';
import { ConversationView, type ConversationActions } from './ConversationView.tsx';
import { Header, type View } from './Header.tsx';
import { IncidentsPanel } from './IncidentsPanel.tsx';
import { InboxPanel, type InboxNews } from './InboxPanel.tsx';
import { KnowledgePanel } from './KnowledgePanel.tsx';
import { QueueList } from './QueueList.tsx';
import { SitesPanel } from './SitesPanel.tsx';
import { TemplatesEditor } from './TemplatesEditor.tsx';
import { useNow } from './use-now.ts';
import { refusalText } from '../i18n/refusals.ts';

export interface ConsoleScreenProps {
  session: Session;
  /** `reason` is shown on the login form (null for an ordinary log out). */
  onLogout: (reason: string | null) => void;
}

/** A visitor who stops typing without a `false` (closed tab) must not look busy forever. */
const TYPING_STALE_MS = 8000;

export function ConsoleScreen({ session, onLogout }: ConsoleScreenProps) {
  // The server pushes `operator:profile` when the operator's memberships change.
  const [operator, setOperator] = useState<OperatorProfile>(session.operator);
  const operatorRef = useRef(operator);
  operatorRef.current = operator;
  // Alerts compare a queue event with the queue shown, and open a conversation from a notification.
  const queueRef = useRef<QueueItem[]>([]);
  const selectRef = useRef<(conversationId: string) => void>(() => {});
  useEffect(() => askNotificationPermissionOnce(), []);
  const [state, dispatch] = useReducer(consoleReducer, initialConsoleState);
  /** `sites:list`: every site for owners, their own for the others. */
  const [sites, setSites] = useState<SiteDto[] | null>(null);
  const [sitesError, setSitesError] = useState<string | null>(null);
  /** The site the tabs act on, picked in the header; none picked = the first the server lists. */
  const [picked, setPicked] = useState<string | undefined>(session.operator.sites[0]?.siteKey);
  /** Operators online per site (and, for owners, the deployment's total under ''). */
  const [online, setOnline] = useState<Record<string, number>>({});
  const [socket, setSocket] = useState<OperatorSocket | null>(null);
  const [view, setView] = useState<View>('conversations');
  const [notice, setNotice] = useState<{ conversationId: string; text: string } | null>(null);
  const now = useNow(30_000);
  /** Canned responses per site key, loaded when a conversation of that site is opened or the list is edited. */
  const [canned, setCanned] = useState<Record<string, CannedResponseDto[]>>({});
  /** The open conversation's site's operators (transfer picker) and whether it assigns automatically. */
  const [team, setTeam] = useState<{ siteKey: string; operators: TeamMateDto[]; autoAssign: boolean } | null>(null);
  /** "Anna transferred … to you": shown until dismissed or another arrives. */
  const [assigned, setAssigned] = useState<{ conversationId: string; text: string } | null>(null);

  /** The inbox's live views listen here (no re-render of the console per event). */
  const inboxListeners = useMemo(() => new Set<(news: InboxNews) => void>(), []);
  const tellInbox = (news: InboxNews) => {
    for (const listener of inboxListeners) listener(news);
  };
  const onInboxNews = (listener: (news: InboxNews) => void) => {
    inboxListeners.add(listener);
    return () => void inboxListeners.delete(listener);
  };

  // Socket handlers outlive renders: they read the selection through a ref.
  const selected = useRef<string | null>(null);
  const logout = useRef(onLogout);
  logout.current = onLogout;

  const openConversation = async (s: OperatorSocket, conversationId: string) => {
    const res = await request(s, 'conversation:open', { conversationId });
    if (res.ok) dispatch({ type: 'opened', detail: res.data });
    else if (selected.current === conversationId) setNotice({ conversationId, text: refusalText(res.error) });
  };

  useEffect(() => {
    const s = connectOperator(session.token);
    setSocket(s);
    let typingTimer: ReturnType<typeof setTimeout> | undefined;

    s.on('connect', async () => {
      dispatch({ type: 'connection', status: 'online' });
      const [res, listed] = await Promise.all([request(s, 'queue:list'), request(s, 'sites:list')]);
      if (res.ok) dispatch({ type: 'queue:loaded', items: res.data.items, incidents: res.data.incidents });
      if (listed.ok) setSites(listed.data.sites);
      setSitesError(listed.ok ? null : refusalText(listed.error));
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
    s.on('queue:upsert', (item) => {
      if (shouldAlert(operatorRef.current.availability, queueRef.current, item)) {
        chime();
        notify(t('notify.waitingTitle'), `${item.visitorName ?? item.visitorEmail ?? t('notify.aVisitor')} · ${item.siteName}`, () => selectRef.current(item.conversationId));
      }
      dispatch({ type: 'queue:upsert', item });
      tellInbox({});
    });
    s.on('inbox:started', () => tellInbox({}));
    s.on('conversation:assigned', ({ item, from }) => {
      dispatch({ type: 'queue:upsert', item });
      tellInbox({});
      const who = item.visitorName ?? item.visitorEmail ?? t('notify.withVisitor');
      const text = from ? t('notify.transferred', { from, who }) : t('notify.assigned', { who });
      setAssigned({ conversationId: item.conversationId, text });
      if (operatorRef.current.availability === 'online') {
        chime();
        notify(t('notify.yoursTitle'), text, () => selectRef.current(item.conversationId));
      }
    });
    s.on('queue:remove', ({ conversationId }) => {
      dispatch({ type: 'queue:remove', conversationId });
      tellInbox({});
      // Resolved or handed back, maybe by someone else: show its real status.
      if (conversationId === selected.current) void openConversation(s, conversationId);
    });
    s.on('conversation:message', (message) => {
      dispatch({ type: 'message', message });
      tellInbox({ conversationId: message.conversationId });
    });
    s.on('conversation:note', (note) => dispatch({ type: 'note', note }));
    s.on('conversation:typing', ({ conversationId, typing }) => {
      clearTimeout(typingTimer);
      dispatch({ type: 'typing', conversationId, typing });
      if (typing) typingTimer = setTimeout(() => dispatch({ type: 'typing', conversationId, typing: false }), TYPING_STALE_MS);
    });
    s.on('incident:opened', (incident) => dispatch({ type: 'incident:opened', incident }));
    s.on('incident:resolved', (incident) => dispatch({ type: 'incident:resolved', incident }));
    s.on('operators:online', ({ count, siteKey }) => setOnline((prev) => ({ ...prev, [siteKey ?? '']: count })));
    s.on('operator:profile', async (profile) => {
      if (sameSites(profile, operatorRef.current)) return setOperator(profile); // availability or capacity only
      setOperator(profile);
      // Joined or left a site: its list (and the picker) follow.
      const listed = await request(s, 'sites:list');
      if (listed.ok) setSites(listed.data.sites);
    });

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

  queueRef.current = state.queue;
  const select = (conversationId: string) => {
    if (!socket || conversationId === selected.current) return;
    typing.stop(); // tells the conversation being left
    selected.current = conversationId;
    setNotice(null);
    dispatch({ type: 'select', conversationId });
    void openConversation(socket, conversationId);
  };

  selectRef.current = select;

  /** Back to the list: on a phone the list and the conversation take turns on the screen. */
  const closeConversation = () => {
    typing.stop();
    selected.current = null;
    setNotice(null);
    dispatch({ type: 'select', conversationId: null });
  };

  /** Runs a conversation action; a refusal becomes the notice above the messages. */
  const act = async <T,>(conversationId: string, run: () => Promise<Ack<T>>, onError?: (e: ErrorBody) => string): Promise<T | null> => {
    setNotice(null);
    const res = await run();
    if (res.ok) return res.data;
    if (selected.current === conversationId) setNotice({ conversationId, text: onError?.(res.error) ?? refusalText(res.error) });
    return null;
  };

  const open = state.open;
  const openSite = open?.item.siteKey;
  const openId = open?.item.conversationId;
  useEffect(() => {
    if (!socket || !openSite) return;
    void request(socket, 'team:list', { siteKey: openSite }).then((res) => {
      if (res.ok) setTeam({ siteKey: openSite, ...res.data });
    });
  }, [socket, openSite, openId]);
  useEffect(() => {
    if (!socket || !openSite || canned[openSite]) return;
    void request(socket, 'canned:list', { siteKey: openSite }).then((res) => {
      if (res.ok) setCanned((all) => ({ ...all, [openSite]: res.data.responses }));
    });
  }, [socket, openSite]);

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
          loadEarlier: async () => {
            const { conversationId } = open.item;
            const beforeSeq = open.messages[0]?.seq;
            if (beforeSeq === undefined) return;
            const page = await act(conversationId, () => request(socket, 'conversation:earlier', { conversationId, beforeSeq }));
            if (page) dispatch({ type: 'earlier', conversationId, ...page });
          },
          note: async (text) => {
            const { conversationId } = open.item;
            const note = await act(conversationId, () => request(socket, 'conversation:note', { conversationId, text }));
            if (note) dispatch({ type: 'note', note });
            return note !== null;
          },
          transfer: async (operatorId) => {
            const { conversationId } = open.item;
            typing.stop();
            const item = await act(conversationId, () => request(socket, 'conversation:transfer', { conversationId, operatorId }));
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
    if (!socket) return t('common.notConnected');
    const res = await request(socket, 'incident:resolve', { incidentId, message });
    if (!res.ok) return refusalText(res.error);
    dispatch({ type: 'incident:resolved', incident: res.data });
    return null;
  };

  // The tabs act on the picked site (sent as `siteKey`); owners and that site's admins see its admin features.
  const siteKey = sites?.some((s) => s.key === picked) ? picked : (sites?.[0]?.key ?? picked);
  const site = sites?.find((s) => s.key === siteKey);
  const siteRole = site?.myRole ?? operator.sites.find((s) => s.siteKey === siteKey)?.role;
  const isAdmin = operator.role === 'owner' || siteRole === 'admin';
  const canManageSites = operator.role === 'owner' || operator.sites.some((s) => s.role === 'admin');
  const siteOnline = siteKey !== undefined ? online[siteKey] : undefined;
  const operatorsOnline = siteOnline ?? online[''] ?? state.operatorsOnline;
  const saveSite = (saved: SiteDto) => setSites((list) => [...(list ?? []).filter((s) => s.key !== saved.key), saved].sort(byName));
  return (
    <div class="console">
      <Header
        operator={operator}
        connection={state.connection}
        operatorsOnline={operatorsOnline}
        view={view}
        onView={setView}
        onLogout={() => onLogout(null)}
        sites={sites ?? []}
        siteKey={siteKey}
        onSite={setPicked}
        isAdmin={isAdmin}
        canManageSites={canManageSites}
        onAvailability={async (changes) => {
          if (!socket) return t('common.notConnected');
          const res = await request(socket, 'operator:availability', changes);
          if (!res.ok) return refusalText(res.error);
          setOperator(res.data);
          return null;
        }}
      />
      {assigned && (
        <p class="notice ok assigned" role="status" data-testid="assigned-notice">
          <button type="button" class="link" onClick={() => select(assigned.conversationId)}>
            {assigned.text}
          </button>
          <button type="button" class="quiet" aria-label={t('common.dismiss')} onClick={() => setAssigned(null)}>
            ×
          </button>
        </p>
      )}
      {view === 'templates' && isAdmin && socket ? (
        <TemplatesEditor key={siteKey} socket={socket} siteKey={siteKey} />
      ) : view === 'apikeys' && isAdmin && socket ? (
        <ApiKeysPanel key={siteKey} socket={socket} siteKey={siteKey} />
      ) : view === 'canned' && socket ? (
        <CannedPanel key={siteKey} socket={socket} canEdit={isAdmin} siteKey={siteKey} onChange={(key, responses) => setCanned((all) => ({ ...all, [key]: responses }))} />
      ) : view === 'audit' && isAdmin && socket ? (
        <AuditPanel key={siteKey} socket={socket} siteKey={siteKey} />
      ) : view === 'analytics' && socket ? (
        <AnalyticsPanel key={siteKey} socket={socket} siteKey={siteKey} />
      ) : view === 'knowledge' && socket ? (
        <KnowledgePanel key={siteKey} socket={socket} canEdit={isAdmin} siteKey={siteKey} />
      ) : view === 'profile' && socket ? (
        <ProfilePanel socket={socket} operator={operator} onSaved={setOperator} />
      ) : view === 'sites' && canManageSites && socket ? (
        <SitesPanel socket={socket} role={operator.role} sites={sites} loadError={sitesError} siteKey={siteKey} onSelect={setPicked} onSite={saveSite} />
      ) : (
        <div class={state.selectedId === null ? 'workspace' : 'workspace has-open'}>
          <aside class="sidebar" aria-label={t('workspace.sidebar')}>
            {isAdmin && socket && <AutoAssignToggle key={siteKey} socket={socket} siteKey={siteKey} />}
            <IncidentsPanel incidents={state.incidents} onResolve={resolveIncident} />
            {socket && (
              <InboxPanel
                socket={socket}
                sites={sites ?? []}
                selectedId={state.selectedId}
                onSelect={select}
                onNews={onInboxNews}
                queue={<QueueList items={state.queue} loaded={state.loaded} selectedId={state.selectedId} me={operator.id} now={now} onSelect={select} />}
              />
            )}
          </aside>
          <main class="pane">
            {state.selectedId !== null && (
              <button type="button" class="back" onClick={closeConversation}>
                <span aria-hidden="true">← </span>
                {t('header.back')}
              </button>
            )}
            {state.selectedId === null ? (
              <div class="empty">
                <h2>{t('workspace.noneOpen')}</h2>
                <p class="muted">{t('workspace.pickOne')}</p>
              </div>
            ) : open && actions ? (
              <ConversationView
                key={open.item.conversationId}
                conversation={open}
                me={operator}
                now={now}
                notice={notice?.conversationId === open.item.conversationId ? notice.text : null}
                actions={actions}
                canned={canned[open.item.siteKey] ?? []}
                tools={
                  socket && (
                    <ConversationTools
                      socket={socket}
                      conversationId={open.item.conversationId}
                      canErase={operator.role === 'owner' || operator.sites.some((s) => s.siteKey === open.item.siteKey && s.role === 'admin')}
                      onErased={(text) => {
                        dispatch({ type: 'queue:remove', conversationId: open.item.conversationId });
                        setNotice({ conversationId: open.item.conversationId, text });
                      }}
                      onError={(text) => setNotice({ conversationId: open.item.conversationId, text })}
                    />
                  )
                }
                team={team?.siteKey === open.item.siteKey ? team.operators : []}
              />
            ) : (
              <div class="empty" role="status">
                {notice?.conversationId === state.selectedId ? <p class="notice error">{notice.text}</p> : <p class="muted">{t('workspace.loading')}</p>}
              </div>
            )}
          </main>
        </div>
      )}
    </div>
  );
}

const byName = (a: SiteDto, b: SiteDto) => a.name.localeCompare(b.name);
const sameSites = (a: OperatorProfile, b: OperatorProfile) => a.role === b.role && JSON.stringify(a.sites) === JSON.stringify(b.sites);

/** Who took it: the server names them ("Already taken by <name>"); else the owner the queue shows. */
function alreadyTaken(error: ErrorBody, item: QueueItem): string {
  if (error.code !== 'already_claimed') return refusalText(error);
  const named = /^Already taken by (.+)$/.exec(error.message)?.[1];
  return t('conversation.alreadyTaken', { name: named ?? item.ownerName ?? t('conversation.anotherOperatorLower') });
}
