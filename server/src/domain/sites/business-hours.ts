/**
 * Whether a site is inside its business hours at an instant. Hours are wall-clock times in the
 * site's IANA time zone, so a daylight-saving change moves the instants, not the times. An
 * interval whose close is earlier than its open runs past midnight into the next day.
 */
import { WEEKDAYS, type BusinessHours, type OpeningInterval, type Weekday } from '@support-chat/protocol';

const MINUTES_PER_DAY = 24 * 60;

/** `HH:MM` → minutes after midnight (`24:00` → 1440); NaN when malformed. */
export function minutesOf(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return Number.NaN;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return Number.NaN;
  return hours * 60 + minutes;
}

/** Formatters are costly to build and the same few zones come up again and again. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The weekday and minute of the day that a clock in `timeZone` shows at `date`. */
export function wallClock(date: Date, timeZone: string): { day: Weekday; minute: number } {
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  // Some ICU versions write midnight as hour 24 even in h23.
  return { day, minute: (Number(part('hour')) * 60 + Number(part('minute'))) % MINUTES_PER_DAY };
}

const previousDay = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + WEEKDAYS.length - 1) % WEEKDAYS.length]!;

/** Whether `minute` of the interval's own day falls inside it (the part before midnight). */
function coversSameDay(interval: OpeningInterval, minute: number): boolean {
  const open = minutesOf(interval.open);
  const close = minutesOf(interval.close);
  if (Number.isNaN(open) || Number.isNaN(close) || open === close) return false;
  return close > open ? minute >= open && minute < close : minute >= open;
}

/** Whether `minute` of the next day falls inside an interval that runs past midnight. */
function coversNextMorning(interval: OpeningInterval, minute: number): boolean {
  const open = minutesOf(interval.open);
  const close = minutesOf(interval.close);
  if (Number.isNaN(open) || Number.isNaN(close)) return false;
  return close < open && minute < close;
}

/** Open at `date` by these hours; no hours at all means always open. */
export function isOpenAt(hours: BusinessHours | null, date: Date): boolean {
  if (!hours) return true;
  const { day, minute } = wallClock(date, hours.timeZone);
  if ((hours.weekly[day] ?? []).some((interval) => coversSameDay(interval, minute))) return true;
  return (hours.weekly[previousDay(day)] ?? []).some((interval) => coversNextMorning(interval, minute));
}
