/**
 * A site's widget settings and allowed origins, as its admins (and owners) edit them. Saved with
 * `sites:update`; open widgets get the change at once (`site:settings`). The server checks every
 * rule (colour, URLs, lengths, time zone) and its refusal is shown as it words it.
 */
import { WEEKDAYS, WIDGET_SETTINGS_LIMITS as LIMITS, type BusinessHours, type SiteDto, type Weekday, type WidgetSettings } from '@support-chat/protocol';
import { useState } from 'preact/hooks';
import { request, type OperatorSocket } from '../api/operator-socket.ts';
import { t } from '../i18n/index.ts';
import { refusalText } from '../i18n/refusals.ts';

export interface SiteSettingsFormProps {
  socket: OperatorSocket;
  site: SiteDto;
  /** Owners also rename a site and switch it on or off. */
  isOwner: boolean;
  onSaved: (site: SiteDto) => void;
}

const LANGS = ['ru', 'en'] as const;
const DEFAULT_HOURS: BusinessHours = {
  timeZone: 'Europe/Moscow',
  weekly: Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, [{ open: '09:00', close: '18:00' }]])),
  awayMessage: {},
};

export function SiteSettingsForm({ socket, site, isOwner, onSaved }: SiteSettingsFormProps) {
  const [s, setS] = useState<WidgetSettings>(site.settings);
  const [origins, setOrigins] = useState(site.allowedOrigins.join('\n'));
  const [name, setName] = useState(site.name);
  const [enabled, setEnabled] = useState(site.enabled);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const set = <K extends keyof WidgetSettings>(key: K, value: WidgetSettings[K]) => setS((prev) => ({ ...prev, [key]: value }));
  const setText = (key: 'greeting' | 'launcherLabel', lang: string, value: string) => set(key, { ...s[key], [lang]: value });
  const hours = s.businessHours;
  const setHours = (next: Partial<BusinessHours>) => hours && set('businessHours', { ...hours, ...next });
  /** One opening per day here; a day's further openings (set through the API) are kept as they are. */
  const setDay = (day: Weekday, field: 'open' | 'close', value: string) => {
    if (!hours) return;
    const [first = { open: '', close: '' }, ...rest] = hours.weekly[day] ?? [];
    const edited = { ...first, [field]: value };
    setHours({ weekly: { ...hours.weekly, [day]: edited.open || edited.close ? [edited, ...rest] : rest } });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    const res = await request(socket, 'sites:update', {
      siteKey: site.key,
      allowedOrigins: origins.split(/[\s,]+/).filter(Boolean),
      settings: { ...s, greeting: compact(s.greeting), launcherLabel: compact(s.launcherLabel), businessHours: hours && { ...hours, awayMessage: compact(hours.awayMessage) } },
      ...(isOwner ? { name: name.trim(), enabled } : {}),
    });
    setBusy(false);
    if (!res.ok) return setStatus({ kind: 'error', text: refusalText(res.error) });
    onSaved(res.data);
    setStatus({ kind: 'ok', text: t('settings.saved') });
  };

  return (
    <section class="panel" aria-labelledby="site-settings-title">
      <h2 id="site-settings-title">{t('settings.title', { name: site.name })}</h2>
      <form class="site-settings" onSubmit={save}>
        {isOwner && (
          <div class="form-bar">
            <label class="field grow">
              <span>{t('sites.name')}</span>
              <input value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <label class="check">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> {t('common.enabled')}
            </label>
          </div>
        )}
        <label class="field">
          <span>{t('settings.origins')}</span>
          <textarea rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        </label>
        <div class="form-bar">
          <label class="field">
            <span>{t('settings.accent')}</span>
            <input type="color" value={s.accentColor} onInput={(e) => set('accentColor', e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('settings.position')}</span>
            <select value={s.position} onChange={(e) => set('position', e.currentTarget.value === 'left' ? 'left' : 'right')}>
              <option value="right">{t('settings.bottomRight')}</option>
              <option value="left">{t('settings.bottomLeft')}</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={s.askEmailWhenOffline} onChange={(e) => set('askEmailWhenOffline', e.currentTarget.checked)} /> {t('settings.askEmail')}
          </label>
        </div>
        <div class="form-bar">
          <label class="field grow">
            <span>{t('settings.widgetTitle')}</span>
            <input value={s.title} maxLength={LIMITS.titleMaxChars} onInput={(e) => set('title', e.currentTarget.value)} />
          </label>
          <label class="field grow">
            <span>{t('settings.subtitle')}</span>
            <input value={s.subtitle} maxLength={LIMITS.subtitleMaxChars} onInput={(e) => set('subtitle', e.currentTarget.value)} />
          </label>
        </div>
        <div class="form-bar">
          <label class="field grow">
            <span>{t('settings.operatorName')}</span>
            <input value={s.operatorName} maxLength={LIMITS.operatorNameMaxChars} onInput={(e) => set('operatorName', e.currentTarget.value)} />
          </label>
          <label class="field grow">
            <span>{t('settings.avatar')}</span>
            <input
              type="url"
              value={s.avatarUrl ?? ''}
              maxLength={LIMITS.urlMaxChars}
              placeholder="https://"
              onInput={(e) => set('avatarUrl', e.currentTarget.value.trim() || null)}
            />
          </label>
        </div>
        {LANGS.map((lang) => (
          <div class="form-bar" key={lang}>
            <label class="field grow">
              <span>{t('settings.greeting', { lang })}</span>
              <input value={s.greeting[lang] ?? ''} maxLength={LIMITS.greetingMaxChars} onInput={(e) => setText('greeting', lang, e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{t('settings.launcher', { lang })}</span>
              <input
                value={s.launcherLabel[lang] ?? ''}
                maxLength={LIMITS.launcherLabelMaxChars}
                onInput={(e) => setText('launcherLabel', lang, e.currentTarget.value)}
              />
            </label>
          </div>
        ))}
        <fieldset class="hours">
          <legend>
            <label class="check">
              <input type="checkbox" checked={hours !== null} onChange={(e) => set('businessHours', e.currentTarget.checked ? (site.settings.businessHours ?? DEFAULT_HOURS) : null)} />{' '}
              {t('settings.hours')}
            </label>
          </legend>
          {hours && (
            <>
              <label class="field">
                <span>{t('settings.timeZone')}</span>
                <input value={hours.timeZone} onInput={(e) => setHours({ timeZone: e.currentTarget.value.trim() })} />
              </label>
              <div class="days">
                {WEEKDAYS.map((day) => {
                  const first = hours.weekly[day]?.[0];
                  const name = t(`day.${day}`);
                  return (
                    <div class="day" key={day}>
                      <span>{name}</span>
                      <input type="time" aria-label={t('settings.opens', { day: name })} value={first?.open ?? ''} onInput={(e) => setDay(day, 'open', e.currentTarget.value)} />
                      <input type="time" aria-label={t('settings.closes', { day: name })} value={first?.close ?? ''} onInput={(e) => setDay(day, 'close', e.currentTarget.value)} />
                    </div>
                  );
                })}
              </div>
              {LANGS.map((lang) => (
                <label class="field" key={lang}>
                  <span>{t('settings.awayMessage', { lang })}</span>
                  <input
                    value={hours.awayMessage[lang] ?? ''}
                    maxLength={LIMITS.awayMessageMaxChars}
                    onInput={(e) => setHours({ awayMessage: { ...hours.awayMessage, [lang]: e.currentTarget.value } })}
                  />
                </label>
              ))}
            </>
          )}
        </fieldset>
        {status && (
          <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
        <div class="form-bar">
          <span />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.saving') : t('settings.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Drops emptied languages: an empty text would stand in for the widget's own. */
function compact(text: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(text).filter(([, v]) => v.trim()));
}
