/**
 * widget.js — the only thing a site pastes:
 *   <script async src="https://chat.example/widget.js" data-site="demo"></script>
 * It draws the launcher and buffers `SupportChat(...)` calls. The Preact app (widget-app-<hash>.js,
 * same origin as this script) costs the host page nothing until it is wanted: it is downloaded when
 * the visitor points at the launcher (hover, focus, touch), and imported on the first open — or at
 * once when this browser already has a conversation on this site, whose replies must show.
 */
import type { Command, SupportChatGlobal, WidgetApp, WidgetHost } from './host.ts';

/** The app's content-hashed file name, set by the build (vite.config.ts) that built both. */
declare const __WIDGET_APP_FILE__: string;

declare global {
  interface Window {
    SupportChat?: SupportChatGlobal;
  }
}

/**
 * The launcher sits in the corner of the host box (below), which lets clicks through to the page;
 * the launcher and the app's panel take them back. Styles reach the shadow root as constructed
 * stylesheets: a strict CSP (`style-src` without 'unsafe-inline') blocks a <style> element but
 * not CSSOM.
 */
const CSS =
  '.l{position:absolute;right:20px;bottom:20px;pointer-events:auto;display:grid;place-items:center;width:60px;height:60px;border:0;border-radius:50%;background:var(--sc-accent,#1f5fd1);color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(16,24,40,.3);transition:transform .15s}' +
  '.l:hover{transform:scale(1.05)}.l:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}' +
  '.l[aria-busy=true]{opacity:.75;cursor:progress}.l svg{width:28px;height:28px}' +
  '.l .c,.l[aria-expanded=true] .o{display:none}.l[aria-expanded=true] .c{display:block}';

/**
 * The host element's own styles, inline and !important: a page rule as blunt as
 * `* { all: unset !important }` cannot move or restyle it, and `all: initial` stops the page's
 * fonts and colours from being inherited into the shadow root. The host is a box over the
 * visual viewport (set by `fit`), above anything a page can stack: the largest z-index.
 */
const HOST = 'all:initial;position:fixed;inset:0;z-index:2147483647;pointer-events:none;font:15px/1.45 system-ui,sans-serif;color:#1b2230';

const ICONS =
  '<svg class="o" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M5 4h14a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3H10l-5 4v-4a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z"/></svg>' +
  '<svg class="c" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>';

const w = window;
const d = document;

/** document.currentScript is null when the tag was injected by a tag manager after load. */
function ownScript(): HTMLScriptElement | null {
  const current = d.currentScript as HTMLScriptElement | null;
  if (current && current.src) return current;
  const scripts = d.querySelectorAll<HTMLScriptElement>('script[src]');
  for (let i = scripts.length - 1; i >= 0; i--) {
    const s = scripts[i]!;
    if (/\/widget\.js(?:[?#]|$)/.test(s.src)) return s;
  }
  return null;
}

const previous = w.SupportChat;
const script = ownScript();
// `l` marks a running loader: a snippet pasted twice must not draw two launchers.
if (script && !(previous && previous.l)) {
  const origin = new URL(script.src, location.href).origin;
  const site = script.getAttribute('data-site') || 'demo';
  const queue: Command[] = (previous && previous.q) || [];
  let app: WidgetApp | undefined;
  let loading: Promise<WidgetApp> | undefined;
  let hostReady: (host: WidgetHost) => void;
  const host = new Promise<WidgetHost>((resolve) => (hostReady = resolve));

  const appUrl = `${origin}/${__WIDGET_APP_FILE__}`;
  const load = (): Promise<WidgetApp> =>
    (loading ||= host
      .then((h) =>
        import(/* @vite-ignore */ appUrl).then(
          (m: { mount: (h: WidgetHost) => WidgetApp }) => (app = m.mount(h)),
        ),
      )
      .catch((error: unknown) => {
        // Let the next click try again (flaky network, server restarting).
        loading = undefined;
        throw error;
      }));
  const preload = () => load().catch(() => {});
  // Download and compile only: mounting would open a socket for a visitor who merely hovered.
  let prefetched = false;
  const prefetch = () => {
    if (prefetched || loading) return;
    prefetched = true;
    const link = d.createElement('link');
    link.rel = 'modulepreload';
    link.href = appUrl;
    link.crossOrigin = 'anonymous'; // the import() is a CORS fetch; the preload must match it to be reused
    d.head.appendChild(link);
  };

  const api: SupportChatGlobal = function () {
    // eslint-disable-next-line prefer-rest-params
    if (app) app.run(arguments);
    else {
      queue.push(arguments);
      if (arguments[0] === 'open' || arguments[0] === 'toggle') preload();
    }
  };
  api.q = queue;
  api.l = 1;
  w.SupportChat = api;

  const draw = () => {
    const el = d.createElement('support-chat');
    const pin = (declarations: string) =>
      declarations.replace(/([^:;]+):([^;]+)/g, (_, property: string, value: string) => (el.style.setProperty(property, value, 'important'), ''));
    pin(HOST);
    // On a phone the layout viewport can be wider than the screen (a page wider than the
    // device): `position: fixed` alone would put the corner off-screen. The host follows what
    // the visitor actually sees, and says when that is phone-sized (the panel then fills it).
    const vv = w.visualViewport;
    const fit = () => {
      if (!vv) return; // (no visualViewport: the host keeps covering the layout viewport)
      pin(`left:${vv.offsetLeft}px;top:${vv.offsetTop}px;width:${vv.width}px;height:${vv.height}px`);
      el.toggleAttribute('full', Math.min(vv.width, vv.height) <= 480);
    };
    fit();
    vv?.addEventListener('resize', fit);
    vv?.addEventListener('scroll', fit);
    const root = el.attachShadow({ mode: 'open' });
    const css = (text: string) => {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(text);
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      } catch {
        // No constructable stylesheets (Safari before 16.4): a <style>, fine unless a strict CSP blocks it.
        const style = d.createElement('style');
        style.textContent = text;
        root.append(style);
      }
    };
    const ru = /^ru\b/i.test(d.documentElement.lang);
    root.innerHTML =
      `<button class="l" part="launcher" aria-expanded="false" ` +
      `aria-label="${ru ? 'Открыть чат' : 'Open chat'}">${ICONS}</button>`;
    const launcher = root.firstChild as HTMLButtonElement;
    css(CSS);
    launcher.onpointerenter = launcher.onfocus = prefetch;
    launcher.addEventListener('touchstart', prefetch, { passive: true });
    launcher.onclick = () => {
      if (app) return app.toggle();
      launcher.setAttribute('aria-busy', 'true');
      load()
        .then((a) => a.toggle(), () => {})
        .finally(() => launcher.removeAttribute('aria-busy'));
    };
    d.body.appendChild(el);
    hostReady({ root, launcher, site, origin, queue, css });
  };
  if (d.body) draw();
  else d.addEventListener('DOMContentLoaded', draw);

  // A conversation this browser already has (widget/src/app/storage.ts: `sc:<site>:cursor` with a
  // conversation id, or unsent messages in `sc:<site>:outbox`) needs the app now, for its replies
  // and unread badge. The raw JSON is matched rather than parsed: this runs on every page view.
  const stored = (key: string) => {
    try {
      return localStorage.getItem(`sc:${site}:${key}`) || '';
    } catch {
      return ''; // storage blocked: the app would not remember a conversation either
    }
  };
  if (/"conversationId":"/.test(stored('cursor')) || /"clientMessageId"/.test(stored('outbox'))) preload();
}
