/**
 * The contract between the loader (widget.js, a classic script on the customer's page) and the
 * lazily imported app (widget-app-<hash>.js). Types only: nothing here ends up in either bundle.
 */

/** One buffered `SupportChat(command, ...args)` call. */
export type Command = ArrayLike<unknown>;

/** What the loader hands to the app's `mount`. */
export interface WidgetHost {
  /** Open shadow root holding the launcher; the app renders its panel next to it. */
  root: ShadowRoot;
  /** The loader's launcher button; the app updates its label, expanded state and badge. */
  launcher: HTMLButtonElement;
  /** `data-site` of the script tag. */
  site: string;
  /** Origin the loader was served from: the socket server and where the app's file lives. */
  origin: string;
  /** Calls made before the app was ready, oldest first. The app drains it. */
  queue: Command[];
  /**
   * Adds styles to the shadow root — a constructed stylesheet, which a strict CSP allows, or a
   * <style> where the browser cannot construct one. The host element carries the attribute `full`
   * while the visible screen is phone-sized: `:host([full])` rules fill it.
   */
  css(text: string): void;
}

/** What `mount` returns to the loader. */
export interface WidgetApp {
  /** Launcher click. */
  toggle(): void;
  /** Runs one `SupportChat(...)` call. */
  run(command: Command): void;
}

export type MountWidget = (host: WidgetHost) => WidgetApp;

/** The global the page talks to; `q` holds calls until the app is ready. */
export interface SupportChatGlobal {
  (...args: unknown[]): void;
  q?: Command[];
  /** Set by the loader so a second copy of the snippet does nothing. */
  l?: 1;
}
