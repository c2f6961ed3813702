import { describe, expect, it } from 'vitest';
import { applyWidgetSettings, canonicalTimeZone, DEFAULT_WIDGET_SETTINGS, readWidgetSettings, widgetSettingsPatch } from './widget-settings.ts';

const problem = (input: unknown) => {
  const parsed = widgetSettingsPatch.safeParse(input);
  return parsed.success ? null : `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
};

describe('widget settings', () => {
  it('takes a full set of valid settings and normalizes colour, zone and empty texts', () => {
    const parsed = widgetSettingsPatch.parse({
      accentColor: '#AA00FF',
      position: 'left',
      title: '  СеверНет ',
      subtitle: 'Отвечаем за минуту',
      operatorName: 'Поддержка СеверНет',
      avatarUrl: 'https://cdn.example/logo.png',
      greeting: { ru: 'Здравствуйте!\nЧем помочь?', en: 'Hello!', de: '' },
      launcherLabel: { ru: 'Чат', en: 'Chat' },
      businessHours: { timeZone: 'europe/moscow', weekly: { mon: [{ open: '09:00', close: '18:00' }], sat: [] }, awayMessage: { ru: 'Ответим утром' } },
      askEmailWhenOffline: false,
    });
    expect(parsed).toMatchObject({
      accentColor: '#aa00ff',
      title: 'СеверНет',
      greeting: { ru: 'Здравствуйте!\nЧем помочь?', en: 'Hello!' },
      businessHours: { timeZone: 'Europe/Moscow' },
    });
  });

  it.each([
    [{ accentColor: 'red' }, /accentColor: a colour is #rrggbb/],
    [{ accentColor: '#12345' }, /accentColor/],
    [{ position: 'top' }, /position/],
    [{ avatarUrl: 'javascript:alert(1)' }, /avatarUrl: must be an http\(s\) address/],
    [{ avatarUrl: 'data:image/png;base64,AAAA' }, /avatarUrl/],
    [{ avatarUrl: 'https://user:pw@cdn.example/a.png' }, /avatarUrl/],
    [{ avatarUrl: `https://cdn.example/${'a'.repeat(2000)}` }, /avatarUrl: at most 2000/],
    [{ title: 'x'.repeat(61) }, /title: at most 60/],
    [{ title: 'a\u0000b' }, /title: must not contain control characters/],
    [{ greeting: { RU: 'Привет' } }, /greeting/],
    [{ greeting: { ru: 'x'.repeat(501) } }, /greeting.ru: at most 500/],
    [{ launcherLabel: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`l${String.fromCharCode(97 + i)}`, 'x'])) }, /launcherLabel: at most 20 languages/],
    [{ businessHours: { timeZone: 'Mars/Olympus', weekly: {}, awayMessage: {} } }, /businessHours.timeZone: "Mars\/Olympus" is not an IANA time zone/],
    [{ businessHours: { timeZone: 'UTC', weekly: { mon: [{ open: '9:00', close: '18:00' }] } } }, /businessHours.weekly.mon.0.open: times are HH:MM/],
    [{ businessHours: { timeZone: 'UTC', weekly: { mon: [{ open: '24:00', close: '02:00' }] } } }, /open: an opening cannot start at 24:00/],
    [{ businessHours: { timeZone: 'UTC', weekly: { mon: [{ open: '10:00', close: '10:00' }] } } }, /close: open and close must differ/],
    [{ businessHours: { timeZone: 'UTC', weekly: { someday: [] } } }, /businessHours.weekly/],
    [{ askEmailWhenOffline: 'yes' }, /askEmailWhenOffline/],
    [{ fontFamily: 'Comic Sans' }, /Unrecognized key/],
  ])('refuses %j', (input, expected) => {
    expect(problem(input)).toMatch(expected);
  });

  it('a change replaces only the fields it names', () => {
    const changed = applyWidgetSettings({ ...DEFAULT_WIDGET_SETTINGS, greeting: { ru: 'Привет', en: 'Hi' } }, widgetSettingsPatch.parse({ greeting: { en: 'Hello' }, position: 'left' }));
    expect(changed).toEqual({ ...DEFAULT_WIDGET_SETTINGS, greeting: { en: 'Hello' }, position: 'left' });
  });

  it('a stored document keeps its valid fields; a missing or broken field becomes the default', () => {
    expect(readWidgetSettings(null)).toEqual(DEFAULT_WIDGET_SETTINGS);
    expect(readWidgetSettings({ accentColor: '#00aa00', position: 'middle', title: 42, askEmailWhenOffline: false })).toEqual({
      ...DEFAULT_WIDGET_SETTINGS,
      accentColor: '#00aa00',
      askEmailWhenOffline: false,
    });
  });

  it('knows IANA zones and nothing else', () => {
    expect(canonicalTimeZone('Asia/Yekaterinburg')).toBe('Asia/Yekaterinburg');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Europe/Nowhere')).toBeNull();
    expect(canonicalTimeZone('../../etc/passwd')).toBeNull();
  });
});
