import { LANGUAGES, language, setLanguage, t } from '../i18n/index.ts';

const NAMES = { en: 'English', ru: 'Русский' } as const;

/** The operator's language: each option in its own language, so whoever can't read the current one still finds theirs. */
export function LanguageSwitch() {
  return (
    <div class="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lang) => (
        <button key={lang} type="button" class="tab" lang={lang} title={NAMES[lang]} aria-pressed={language() === lang} onClick={() => setLanguage(lang)}>
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
