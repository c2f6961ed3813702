/**
 * A site's widget settings: how its widget looks and what it says. Admins edit them
 * (`sites:update`), the widget reads them (`GET /api/widget/settings?site=KEY`, then the
 * `site:settings` event while it is open). Shared by server, console and widget.
 */

/**
 * Text per page language: keys are lower-case language subtags (`ru`, `en`, `de` …). The widget
 * shows the page language's text, else the site's default locale's, else any.
 */
export type LocalizedText = Record<string, string>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One opening of a day, local wall-clock times `HH:MM` in the hours' time zone. `close` may be
 * `24:00` (until midnight); a `close` earlier than `open` runs past midnight into the next day
 * (`22:00`–`02:00` on Friday covers Saturday 00:00–02:00 too).
 */
export interface OpeningInterval {
  open: string;
  close: string;
}

export interface BusinessHours {
  /** An IANA time zone (`Europe/Moscow`); the weekly times are wall-clock times there. */
  timeZone: string;
  /** Openings per weekday; a day that is missing or empty is closed. */
  weekly: Partial<Record<Weekday, OpeningInterval[]>>;
  /** Shown to visitors outside the hours. */
  awayMessage: LocalizedText;
}

export type WidgetPosition = 'left' | 'right';

export interface WidgetSettings {
  /** `#rrggbb`: the launcher, the visitor's bubbles, buttons. */
  accentColor: string;
  /** Which bottom corner the launcher sits in. */
  position: WidgetPosition;
  /** The panel's header: title and a smaller subtitle (empty = none). */
  title: string;
  subtitle: string;
  /** The name operators' messages carry in the widget (`Поддержка СеверНет`); empty = each operator's own name. */
  operatorName: string;
  /** Logo or avatar in the header, an http(s) URL; null = none. */
  avatarUrl: string | null;
  /** The first thing the open panel says, before the visitor writes. */
  greeting: LocalizedText;
  /** The launcher button's label (also its accessible name). */
  launcherLabel: LocalizedText;
  /** When operators work; null = always open. */
  businessHours: BusinessHours | null;
  /** Ask the visitor for an email when no operator is online (or outside the hours). */
  askEmailWhenOffline: boolean;
}

/**
 * What a widget gets from `GET /api/widget/settings?site=KEY` (and, with the same shape, the
 * `site:settings` event when an admin changes the settings).
 */
export interface PublicWidgetSettings {
  siteKey: string;
  /** The site's default locale (`ru` / `en`): the fallback of every `LocalizedText`. */
  locale: string;
  settings: WidgetSettings;
  /** Inside the business hours now (always true without hours). */
  open: boolean;
  /** Operators who could answer this site right now (its members and the deployment's owners). */
  operatorsOnline: number;
}

/** Limits shared by the console (to say no early) and the server (to enforce). */
export const WIDGET_SETTINGS_LIMITS = {
  titleMaxChars: 60,
  subtitleMaxChars: 120,
  operatorNameMaxChars: 60,
  urlMaxChars: 2000,
  greetingMaxChars: 500,
  launcherLabelMaxChars: 40,
  awayMessageMaxChars: 500,
  /** Languages per localized text. */
  localesMax: 20,
  /** Openings per weekday. */
  intervalsPerDayMax: 4,
} as const;
