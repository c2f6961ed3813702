import { createRef, render } from 'preact';
import type { PublicWidgetSettings, VisitorIdentity, VisitorProfile } from '@support-chat/protocol';
import type { Command, MountWidget, WidgetHost } from '../host.ts';
import { createAttention } from './attention.ts';
import { createChat } from './chat.ts';
import { createCommands } from './commands.ts';
import { pickStrings } from './i18n.ts';
import { randomId } from './ids.ts';
import { avatarSrc, fetchSettings, localized } from './site-settings.ts';
import { createWidgetStore, openKeyValue, type WidgetStore } from './storage.ts';
import { CSS } from './styles.ts';
import { connectVisitor } from './transport.ts';
import { App } from './ui/App.tsx';

/**
 * Entry of widget-app-<hash>.js, imported by the loader on the first open, or at page load when
 * this browser already has a conversation on the site.
 * Wires storage, the socket, the chat state and the panel into the loader's shadow root.
 */
export const mount: MountWidget = (host: WidgetHost) => {
  const doc = document;
  const lang = doc.documentElement.lang || navigator.language || 'en';
  const strings = pickStrings(lang);
  let t = strings;
  /** The site's settings, once fetched (or pushed): until then, the built-in look and texts. */
  let site: PublicWidgetSettings | null = null;
  const store = createWidgetStore(host.site, openKeyValue());
  forgetAnotherOwner(store, queuedUserId(host.queue));
  // Kept in memory only: the page identifies its user on every load, and a page that stops
  // (the user logged out) leaves the next visitor anonymous.
  let identity: VisitorIdentity | null = null;
  const connection = connectVisitor({
    origin: host.origin,
    auth: () => ({ siteKey: host.site, visitorId: store.visitorId, ...store.cursor(), locale: lang, ...profileOf(store.profile()), ...(identity ? { identity } : {}) }),
  });
  const ui = { open: false, unread: 0 };
  const attention = createAttention({
    doc,
    tabId: randomId(),
    lastTab: { get: () => store.kv.get('tab'), set: (id) => store.kv.set('tab', id), clear: () => store.kv.remove('tab') },
  });
  const chat = createChat({
    store,
    connection,
    onIncoming(message) {
      commands.fire('message', message);
      if (ui.open && doc.visibilityState === 'visible' && doc.hasFocus()) return;
      if (!ui.open) {
        ui.unread++;
        paintLauncher();
        commands.fire('unread', ui.unread);
      }
      attention.notify(t.newMessage);
    },
  });

  const launcher = host.launcher;
  const badge = doc.createElement('span');
  badge.className = 'b';
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(badge);
  launcher.setAttribute('aria-controls', 'sc-panel');
  host.css(CSS);
  const container = doc.createElement('div');
  host.root.append(container);

  const listRef = createRef<HTMLDivElement>();
  const inputRef = createRef<HTMLTextAreaElement>();
  const scrollToEnd = () => {
    const log = listRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  };

  function paintLauncher() {
    launcher.setAttribute('aria-expanded', String(ui.open));
    launcher.setAttribute('aria-label', ui.open ? t.closeChat : ui.unread ? `${t.openChat} (${ui.unread})` : t.openChat);
    badge.hidden = !ui.unread;
    badge.textContent = ui.unread > 9 ? '9+' : String(ui.unread);
  }

  function paint() {
    const log = listRef.current;
    // Follow new messages only when the visitor is at the bottom, not while they read back.
    const atEnd = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    render(
      <App
        chat={chat.state()}
        open={ui.open}
        t={t}
        sub={site?.settings.subtitle}
        avatar={avatarSrc(site?.settings.avatarUrl)}
        away={site && !site.open ? localized(site.settings.businessHours?.awayMessage, lang, site.locale) : ''}
        lang={lang}
        listRef={listRef}
        inputRef={inputRef}
        onClose={close}
        onSend={chat.send}
        onRetry={chat.retry}
        onRate={chat.rate}
        onTyping={chat.noteTyping}
      />,
      container,
    );
    if (atEnd) scrollToEnd();
    paintLauncher();
  }

  function open() {
    if (ui.open) return;
    ui.open = true;
    ui.unread = 0;
    attention.stop();
    chat.start();
    paint();
    scrollToEnd();
    // A touch screen would pop the keyboard over the conversation: focus the log there instead.
    (matchMedia('(pointer: fine)').matches ? inputRef.current : listRef.current)?.focus();
    commands.fire('open');
  }

  function close() {
    if (!ui.open) return;
    const focusInside = host.root.activeElement !== null;
    ui.open = false;
    paint();
    if (focusInside) launcher.focus();
    commands.fire('close');
  }

  const commands = createCommands({
    open,
    close,
    toggle: () => (ui.open ? close() : open()),
    setVisitor: (profile) => void chat.setProfile(profile).catch((error: Error) => console.warn(`SupportChat: setVisitor: ${error.message}`)),
    identify: (next) => {
      if (identity?.userId === next.userId && identity.signature === next.signature) return;
      identity = next;
      store.kv.set(OWNER, next.userId);
      connection.reconnect();
    },
  });

  /** Applies the site's settings: colour and corner on the host element, texts at the next paint (as text, like every message). */
  const applySettings = (next: PublicWidgetSettings | null) => {
    if (!next || next.siteKey !== host.site) return;
    site = next;
    const s = next.settings;
    const text = (x: Record<string, string>) => localized(x, lang, next.locale);
    t = { ...strings, title: s.title || strings.title, welcome: text(s.greeting) || strings.welcome, openChat: text(s.launcherLabel) || strings.openChat };
    // Inline but not !important: a page's own `--sc-accent: … !important` still wins.
    const el = host.root.host as HTMLElement;
    el.style.setProperty('--sc-accent', s.accentColor);
    el.toggleAttribute('left', s.position === 'left');
    paint();
  };
  connection.on('site:settings', applySettings);
  // Fetched once the first handshake is accepted (the app connects as soon as it mounts for a
  // returning visitor, on the first open otherwise): on a page the site refuses, the request
  // would fail CORS or 404 and the browser would print its own error beside the widget's one
  // warning; after the handshake the site and this origin are known good.
  let asked = false;
  connection.onConnectionChange((up) => {
    if (up && !asked) {
      asked = true;
      void fetchSettings(host.origin, host.site).then(applySettings);
    }
  });

  chat.subscribe(paint);
  window.addEventListener('storage', (e) => {
    const key = store.keyOf(e.key);
    if (key) chat.syncFromStorage(key);
  });
  window.addEventListener('focus', () => ui.open && attention.stop());
  paint();

  // The page's identity decides whose conversation the first connect opens (the replay below runs it again, a no-op).
  for (const command of host.queue) if (command[0] === 'identify') commands.run(command);
  // A returning visitor may get replies while browsing: connect now. New visitors connect on open.
  if (store.cursor().conversationId || store.outbox().length || store.messages().length) chat.start();

  for (const command of host.queue.splice(0)) commands.run(command);
  commands.fire('ready');
  return { toggle: () => (ui.open ? close() : open()), run: commands.run };
};

/** The user whose conversation this browser's storage holds ('' = the anonymous visitor). */
const OWNER = 'owner';

/** The user id of the page's last queued `identify` call, '' without one. */
function queuedUserId(queue: readonly Command[]): string {
  const call = [...queue].reverse().find((c) => c[0] === 'identify');
  const userId = (call?.[1] as { userId?: unknown } | undefined)?.userId;
  return typeof userId === 'string' ? userId.trim() : '';
}

/**
 * A shared computer: the conversation, name and email a verified user left in this browser are
 * not shown to (or sent on behalf of) whoever loads the page next without that identity — the
 * server holds the conversation and hands it back to its user on identify.
 */
function forgetAnotherOwner(store: WidgetStore, owner: string): void {
  if ((store.kv.get(OWNER) ?? '') === owner) return;
  store.setCursor({ conversationId: null, lastSeq: 0 });
  store.setMessages([]);
  store.setProfile({});
  if (owner) store.kv.set(OWNER, owner);
  else store.kv.remove(OWNER);
}

/** The handshake carries a profile only when the page told something. */
function profileOf(profile: VisitorProfile): { profile?: VisitorProfile } {
  return profile.name || profile.email ? { profile } : {};
}
