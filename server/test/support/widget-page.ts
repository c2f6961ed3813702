/**
 * Reading the widget the way a visitor does, for the browser tests. Bot replies are picked from
 * several template variants at random, so tests compare them with the library, not one wording.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_TEMPLATES } from '../../src/domain/templates/default-templates.ts';
import { renderTemplate, type TemplateVariables } from '../../src/domain/templates/render-template.ts';

/** Types into the widget's composer and sends with Enter, as a visitor does. */
export async function say(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Сообщение');
  await input.fill(text);
  await input.press('Enter');
}

/** The text of every bot message the widget shows (the screen-reader "Бот:" label left out). */
export function botTexts(page: Page): Promise<string[]> {
  // Playwright's CSS engine pierces the widget's open shadow root.
  return page.locator('.m.bot .bubble').evaluateAll((bubbles) =>
    bubbles.map((b) => [...b.childNodes].filter((n) => !(n instanceof Element && n.classList.contains('sr'))).map((n) => n.textContent).join('')),
  );
}

/** True when `text` is one of the library's variants for `key`, filled with `variables`. */
export function isVariantOf(text: string, key: string, locale: 'ru' | 'en' = 'ru', variables: TemplateVariables = {}): boolean {
  return DEFAULT_TEMPLATES[key]![locale].some((variant) => renderTemplate(variant, variables) === text.trim());
}
