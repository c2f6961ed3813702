import { useEffect, useState } from 'preact/hooks';
import { type Language, language, onLanguageChange } from './index.ts';

/** The current language; the component (the app's root) re-renders, and with it the console, when the operator switches. */
export function useLanguage(): Language {
  const [lang, setLang] = useState(language);
  useEffect(() => onLanguageChange(setLang), []);
  return lang;
}
