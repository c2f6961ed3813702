import type { CannedResponseDto } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { fillVariables, insertCanned, matchCanned, slashQuery } from './canned.ts';

const canned = (shortcut: string, text: string): CannedResponseDto => ({ id: shortcut, shortcut, text, updatedAt: '2026-01-01T00:00:00.000Z' });

describe('canned response picker', () => {
  it('opens on a /word at the start of the draft or after a space, up to the caret', () => {
    expect(slashQuery('/hel', 4)).toEqual({ start: 0, query: 'hel' });
    expect(slashQuery('ok /Прив', 8)).toEqual({ start: 3, query: 'прив' });
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' });
    expect(slashQuery('http://x', 8)).toBeNull();
    expect(slashQuery('/hello there', 12)).toBeNull();
  });

  it('lists shortcuts starting with the query before those merely containing it', () => {
    const list = [canned('bye', 'Всего доброго'), canned('hello', 'Здравствуйте'), canned('say-hello', 'Hi'), canned('refund', 'Возврат: hello')];
    expect(matchCanned(list, 'hel').map((r) => r.shortcut)).toEqual(['hello', 'say-hello', 'refund']);
    expect(matchCanned(list, '').map((r) => r.shortcut)).toEqual(['bye', 'hello', 'say-hello', 'refund']);
  });

  it('fills known variables and drops an empty one with the comma before it', () => {
    const vars = { visitor_name: 'Мария', operator_name: 'Анна', site_name: 'СеверНет' };
    expect(fillVariables('Здравствуйте, {{visitor_name}}! Я {{ operator_name }} из {{site_name}}.', vars)).toBe('Здравствуйте, Мария! Я Анна из СеверНет.');
    expect(fillVariables('Здравствуйте, {{visitor_name}}!', { ...vars, visitor_name: null })).toBe('Здравствуйте!');
    expect(fillVariables('Код {{order_id}}', vars)).toBe('Код {{order_id}}');
  });

  it('replaces the /query with the text and puts the caret after it', () => {
    const draft = 'Итак, /hel и всё';
    const at = slashQuery(draft, 10)!;
    expect(insertCanned(draft, at, 10, 'Здравствуйте')).toEqual({ text: 'Итак, Здравствуйте и всё', caret: 18 });
  });
});
