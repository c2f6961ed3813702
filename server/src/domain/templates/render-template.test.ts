import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from './default-templates.ts';
import { renderTemplate } from './render-template.ts';

const RAW = /\{\{|\}\}/;
const EVERY_DEFAULT = Object.entries(DEFAULT_TEMPLATES).flatMap(([key, byLocale]) =>
  Object.entries(byLocale).flatMap(([locale, variants]) => variants.map((text, i) => [`${key}:${locale}:${i}`, text] as const)),
);

describe('renderTemplate', () => {
  it('fills variables, tolerating spaces inside the braces', () => {
    expect(renderTemplate('Это поддержка {{site_name}}, ждать {{ wait_estimate }}.', { site_name: 'СеверНет', wait_estimate: '2 мин.' })).toBe(
      'Это поддержка СеверНет, ждать 2 мин..',
    );
  });

  it('a missing variable takes its fallback', () => {
    expect(renderTemplate('Оператор подключится через {{wait_estimate}}.', {}, { wait_estimate: 'несколько минут' })).toBe(
      'Оператор подключится через несколько минут.',
    );
  });

  it('a given variable wins over its fallback; null and undefined fall back', () => {
    expect(renderTemplate('{{site_name}}', { site_name: 'A' }, { site_name: 'B' })).toBe('A');
    expect(renderTemplate('{{site_name}}', { site_name: null }, { site_name: 'B' })).toBe('B');
    expect(renderTemplate('{{site_name}}', { site_name: undefined }, { site_name: 'B' })).toBe('B');
  });

  it('a variable with no fallback disappears and the punctuation around it is tidied', () => {
    expect(renderTemplate('Здравствуйте, {{visitor_name}}!', {})).toBe('Здравствуйте!');
    expect(renderTemplate('Привет , {{x}} !', {})).toBe('Привет!');
    expect(renderTemplate('Hi {{name}}, how are you?', {})).toBe('Hi, how are you?');
  });

  it.each(['{{name', 'name}}', '{{site-name}}', '{{ }}', '{{{site_name}}}', '{{{{x}}}}', 'a {{b {{c}} d}} e', '{{1abc}}'])(
    'a broken placeholder %s never reaches the visitor as {{…}}',
    (text) => expect(renderTemplate(text, { site_name: 'СеверНет' })).not.toMatch(RAW),
  );

  it.each(EVERY_DEFAULT)('default %s renders without placeholders, with or without variables', (_, text) => {
    expect(renderTemplate(text, {}, {})).not.toMatch(RAW);
    expect(renderTemplate(text, { site_name: 'СеверНет', wait_estimate: '2 мин.' })).not.toMatch(RAW);
  });

  it('variable values are trimmed and never re-expanded', () => {
    expect(renderTemplate('[{{a}}]', { a: '  {{b}}  ', b: 'no' })).toBe('[b]');
  });

  // Stripping "{{"/"}}" once can join single braces into a new pair: "{}}{x}{{}" → "{{x}}".
  it('stray braces that join into a new {{…}} after stripping are stripped too', () => {
    expect(renderTemplate('{}}{x}{{}', {})).not.toMatch(RAW);
  });
});
