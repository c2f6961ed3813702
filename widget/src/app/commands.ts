import type { Command } from '../host.ts';
import type { VisitorIdentity, VisitorProfile } from '@support-chat/protocol';

/** Events a page may subscribe to with `SupportChat('on', event, callback)`. */
export const PUBLIC_EVENTS = ['ready', 'open', 'close', 'message', 'unread'] as const;
export type PublicEvent = (typeof PUBLIC_EVENTS)[number];

/** What the commands drive. */
export interface WidgetControls {
  open(): void;
  close(): void;
  toggle(): void;
  setVisitor(profile: VisitorProfile): void;
  /** The site's signed user: carried by every handshake from now on. */
  identify(identity: VisitorIdentity): void;
}

export interface Commands {
  /** Runs one `SupportChat(name, ...args)` call; unknown or malformed calls are warned about and ignored. */
  run(command: Command): void;
  /** Calls the page's callbacks for `event`; a throwing callback does not stop the others. */
  fire(event: PublicEvent, payload?: unknown): void;
}

type Callback = (payload?: unknown) => void;

/** The page-facing API: an allow-list of commands and events, nothing else reaches the widget. */
export function createCommands(controls: WidgetControls, warn: (message: string) => void = console.warn): Commands {
  const callbacks = new Map<PublicEvent, Set<Callback>>();
  const isEvent = (v: unknown): v is PublicEvent => (PUBLIC_EVENTS as readonly unknown[]).includes(v);
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);

  return {
    run(command) {
      const [name, a, b] = Array.from(command);
      switch (name) {
        case 'open':
        case 'close':
        case 'toggle':
          return controls[name]();
        case 'setVisitor': {
          if (typeof a !== 'object' || a === null) return warn('SupportChat: setVisitor({name, email})');
          const { name: visitorName, email } = a as Record<string, unknown>;
          const profile: VisitorProfile = {};
          if (text(visitorName)) profile.name = text(visitorName);
          if (text(email)) profile.email = text(email);
          return controls.setVisitor(profile);
        }
        case 'identify': {
          const { userId, signature, name: visitorName, email } = (a ?? {}) as Record<string, unknown>;
          // Bounded like the other fields, but far enough for a JWT; the server checks the rest.
          const id = typeof userId === 'string' ? userId.trim() : '';
          if (!id || typeof signature !== 'string' || !signature || signature.length > 2048) {
            return warn('SupportChat: identify({userId, signature, name?, email?}) — signature from your backend');
          }
          const identity: VisitorIdentity = { userId: id, signature };
          if (text(visitorName)) identity.name = text(visitorName);
          if (text(email)) identity.email = text(email);
          return controls.identify(identity);
        }
        case 'on':
        case 'off': {
          if (!isEvent(a) || typeof b !== 'function') {
            return warn(`SupportChat: ${name}(${PUBLIC_EVENTS.join('|')}, function)`);
          }
          let set = callbacks.get(a);
          if (!set) callbacks.set(a, (set = new Set()));
          if (name === 'on') set.add(b as Callback);
          else set.delete(b as Callback);
          return;
        }
        default:
          warn(`SupportChat: unknown ${String(name)}`);
      }
    },
    fire(event, payload) {
      for (const callback of callbacks.get(event) ?? []) {
        try {
          callback(payload);
        } catch (error) {
          console.error(error);
        }
      }
    },
  };
}
