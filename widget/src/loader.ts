/**
 * widget.js — the only thing a site pastes:
 *   <script async src="https://chat.example/widget.js" data-site="demo"></script>
 * It draws the launcher and buffers `SupportChat(...)` calls; the Preact app (widget-app.js, same
 * origin as this script) is imported on the first click or once the page is idle.
 */
import type { Command, SupportChatGlobal, WidgetApp, WidgetHost } from './host.ts';

declare global {
  interface Window {
    SupportChat?: SupportChatGlobal;
  }
}

const CSS =
  ':host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000}' +
  '.l{position:relative;display:grid;place-items:center;width:60px;height:60px;border:0;border-radius:50%;background:var(--sc-accent,#1f5fd1);color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(16,24,40,.3);transition:transform .15s}' +
  '.l:hover{transform:scale(1.05)}.l:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}' +
  '.l[aria-busy=true]{opacity:.75;cursor:progress}.l svg{width:28px;height:28px}' +
  '.l .c,.l[aria-expanded=true] .o{display:none}.l[aria-expanded=true] .c{display:block}';

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
  const site = script.getAttribute('data-site') || 'default';
  const queue: Command[] = (previous && previous.q) || [];
  let app: WidgetApp | undefined;
  let loading: Promise<WidgetApp> | undefined;
  let hostReady: (host: WidgetHost) => void;
  const host = new Promise<WidgetHost>((resolve) => (hostReady = resolve));

  const load = (): Promise<WidgetApp> =>
    (loading ||= host
      .then((h) =>
        import(/* @vite-ignore */ `${origin}/widget-app.js`).then(
          (m: { mount: (h: WidgetHost) => WidgetApp }) => (app = m.mount(h)),
        ),
      )
      .catch((error: unknown) => {
        // Let the next click try again (flaky network, server restarting).
        loading = undefined;
        throw error;
      }));
  const preload = () => load().catch(() => {});

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
    const root = el.attachShadow({ mode: 'open' });
    const ru = /^ru\b/i.test(d.documentElement.lang);
    root.innerHTML =
      `<style>${CSS}</style><button class="l" part="launcher" aria-expanded="false" ` +
      `aria-label="${ru ? 'Открыть чат' : 'Open chat'}">${ICONS}</button>`;
    const launcher = root.lastChild as HTMLButtonElement;
    launcher.onclick = () => {
      if (app) return app.toggle();
      launcher.setAttribute('aria-busy', 'true');
      load()
        .then((a) => a.toggle(), () => {})
        .finally(() => launcher.removeAttribute('aria-busy'));
    };
    d.body.appendChild(el);
    hostReady({ root, launcher, site, origin, queue });
  };
  if (d.body) draw();
  else d.addEventListener('DOMContentLoaded', draw);

  // Fetch the app when the browser has nothing better to do, so the first click is instant.
  const idle = () => (w.requestIdleCallback ? w.requestIdleCallback(preload, { timeout: 5000 }) : setTimeout(preload, 2000));
  if (d.readyState === 'complete') idle();
  else w.addEventListener('load', idle);
}
