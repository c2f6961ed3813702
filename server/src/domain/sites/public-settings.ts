/** What a widget is told about its site: the settings, whether it is open now, who is online. */
import type { PublicWidgetSettings } from '@support-chat/protocol';
import { isOpenAt } from './business-hours.ts';
import { DEFAULT_WIDGET_SETTINGS } from './widget-settings.ts';

export function publicWidgetSettings(site: { key: string; locale: string; settings?: PublicWidgetSettings['settings'] }, at: Date, operatorsOnline: number): PublicWidgetSettings {
  const settings = site.settings ?? DEFAULT_WIDGET_SETTINGS;
  return { siteKey: site.key, locale: site.locale, settings, open: isOpenAt(settings.businessHours, at), operatorsOnline };
}
