import type { BusinessHours } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { isOpenAt, minutesOf, wallClock } from './business-hours.ts';

const weekdays9to18 = (timeZone: string): BusinessHours => ({
  timeZone,
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '18:00' }]])),
  awayMessage: { en: 'We are away' },
});

describe('isOpenAt', () => {
  it('without hours a site is always open', () => {
    expect(isOpenAt(null, new Date('2026-03-01T03:00:00Z'))).toBe(true);
  });

  it('reads the time in the hours’ zone, not UTC', () => {
    const moscow = weekdays9to18('Europe/Moscow'); // UTC+3 all year
    // Monday 2026-03-02: 06:30 UTC is 09:30 in Moscow, 05:59 UTC is 08:59.
    expect(isOpenAt(moscow, new Date('2026-03-02T06:30:00Z'))).toBe(true);
    expect(isOpenAt(moscow, new Date('2026-03-02T05:59:00Z'))).toBe(false);
    // 15:00 UTC is 18:00 in Moscow: the close minute itself is closed.
    expect(isOpenAt(moscow, new Date('2026-03-02T14:59:00Z'))).toBe(true);
    expect(isOpenAt(moscow, new Date('2026-03-02T15:00:00Z'))).toBe(false);
    // The same instant is 01:30 in New York: closed there.
    expect(isOpenAt(weekdays9to18('America/New_York'), new Date('2026-03-02T06:30:00Z'))).toBe(false);
  });

  it('keeps wall-clock hours across a daylight-saving change', () => {
    const berlin = weekdays9to18('Europe/Berlin');
    // Friday 2026-03-27 (UTC+1): 08:30 UTC is 09:30 local. Monday 2026-03-30 (UTC+2): 08:30 UTC is 10:30, 07:30 UTC is 09:30.
    expect(isOpenAt(berlin, new Date('2026-03-27T07:30:00Z'))).toBe(false);
    expect(isOpenAt(berlin, new Date('2026-03-27T08:30:00Z'))).toBe(true);
    expect(isOpenAt(berlin, new Date('2026-03-30T07:30:00Z'))).toBe(true);
    expect(isOpenAt(berlin, new Date('2026-03-30T06:30:00Z'))).toBe(false);
  });

  it('a day without openings is closed all day', () => {
    const moscow = weekdays9to18('Europe/Moscow');
    // Saturday 2026-03-07 and Sunday 2026-03-08, at noon in Moscow.
    expect(isOpenAt(moscow, new Date('2026-03-07T09:00:00Z'))).toBe(false);
    expect(isOpenAt(moscow, new Date('2026-03-08T09:00:00Z'))).toBe(false);
    expect(isOpenAt({ ...moscow, weekly: { ...moscow.weekly, mon: [] } }, new Date('2026-03-02T09:00:00Z'))).toBe(false);
  });

  it('an overnight opening covers the next morning, even when that day is otherwise closed', () => {
    const nights: BusinessHours = { timeZone: 'UTC', weekly: { fri: [{ open: '22:00', close: '02:00' }] }, awayMessage: {} };
    expect(isOpenAt(nights, new Date('2026-03-06T21:59:00Z'))).toBe(false); // Friday 21:59
    expect(isOpenAt(nights, new Date('2026-03-06T23:30:00Z'))).toBe(true); // Friday 23:30
    expect(isOpenAt(nights, new Date('2026-03-07T01:59:00Z'))).toBe(true); // Saturday 01:59
    expect(isOpenAt(nights, new Date('2026-03-07T02:00:00Z'))).toBe(false); // Saturday 02:00
    // Thursday night has no opening: Friday 01:00 is closed.
    expect(isOpenAt(nights, new Date('2026-03-06T01:00:00Z'))).toBe(false);
  });

  it('a Sunday night opening runs into Monday', () => {
    const sunday: BusinessHours = { timeZone: 'Asia/Tokyo', weekly: { sun: [{ open: '20:00', close: '01:00' }] }, awayMessage: {} };
    // Monday 2026-03-02 00:30 in Tokyo is Sunday 15:30 UTC.
    expect(isOpenAt(sunday, new Date('2026-03-01T15:30:00Z'))).toBe(true);
    expect(isOpenAt(sunday, new Date('2026-03-01T16:30:00Z'))).toBe(false);
  });

  it('several openings a day leave the gaps closed; 24:00 means until midnight', () => {
    const split: BusinessHours = {
      timeZone: 'UTC',
      weekly: { wed: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '24:00' }] },
      awayMessage: {},
    };
    expect(isOpenAt(split, new Date('2026-03-04T12:59:00Z'))).toBe(true);
    expect(isOpenAt(split, new Date('2026-03-04T13:30:00Z'))).toBe(false);
    expect(isOpenAt(split, new Date('2026-03-04T23:59:00Z'))).toBe(true);
    expect(isOpenAt(split, new Date('2026-03-05T00:00:00Z'))).toBe(false);
  });
});

describe('wall clock and times', () => {
  it('parses HH:MM, allows 24:00 and nothing past it', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('24:00')).toBe(1440);
    for (const bad of ['24:01', '9:30', '12:60', '25:00', 'noon']) expect(minutesOf(bad)).toBeNaN();
  });

  it('names the local weekday and minute', () => {
    // 2026-03-01 is a Sunday; 22:15 UTC is Monday 01:15 in Moscow.
    expect(wallClock(new Date('2026-03-01T22:15:00Z'), 'Europe/Moscow')).toEqual({ day: 'mon', minute: 75 });
    expect(wallClock(new Date('2026-03-01T22:15:00Z'), 'UTC')).toEqual({ day: 'sun', minute: 22 * 60 + 15 });
  });
});
