import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.ts';

describe('normalize: markup is not content', () => {
  it('keeps the text of HTML and decodes entities', () => {
    expect(normalize('<p>Доброго <b>времени</b> суток</p>')).toBe('доброго времени суток');
    expect(normalize('Tom &amp; Jerry&nbsp;&#33;')).toBe('tom jerry');
  });

  it('replaces executable HTML with a :code: token instead of its text', () => {
    expect(normalize("<script>alert('xss')</script>")).toBe(':code:');
    expect(normalize('<img src=x onerror=alert(1)> hi')).toBe(':code: hi');
  });

  it('strips Markdown emphasis, headings, bullets, quotes and links', () => {
    expect(normalize('**TERRIBLE** _service_')).toBe('terrible service');
    expect(normalize('# URGENT\n- no internet\n> quoted\n1. first')).toBe('urgent no internet quoted first');
    expect(normalize('see [the docs](https://example.com/x) or www.example.com')).toBe('see the docs or :url:');
  });

  it('keeps what is inside code fences (pasted ping output is the problem report)', () => {
    expect(normalize('```\nPING 8.8.8.8: Request timed out\n```')).toBe('ping 8 8 8 8 request timed out');
  });
});
