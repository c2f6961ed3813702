import { describe, expect, it } from 'vitest';
import { operatorProfilePatch, visibleOperatorName } from './public-profile.ts';

describe("an operator's public profile", () => {
  it('takes a display name and an http(s) avatar', () => {
    expect(operatorProfilePatch.parse({ displayName: ' Анна ', avatarUrl: 'https://cdn.example/anna.png' })).toEqual({
      displayName: 'Анна',
      avatarUrl: 'https://cdn.example/anna.png',
    });
  });

  it('clears a field with an empty value or null, and leaves unsent fields alone', () => {
    expect(operatorProfilePatch.parse({ displayName: '', avatarUrl: null })).toEqual({ displayName: null, avatarUrl: null });
    expect(operatorProfilePatch.parse({ avatarUrl: '' })).toEqual({ avatarUrl: null });
  });

  it.each(['javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://x.example/a.png', 'https://user:pw@x.example/a.png', 'not a url'])(
    'refuses the avatar %s',
    (avatarUrl) => {
      expect(operatorProfilePatch.safeParse({ avatarUrl }).success).toBe(false);
    },
  );

  it('refuses a long or control-character name and unknown fields', () => {
    expect(operatorProfilePatch.safeParse({ displayName: 'x'.repeat(61) }).success).toBe(false);
    expect(operatorProfilePatch.safeParse({ displayName: 'a\u0000b' }).success).toBe(false);
    expect(operatorProfilePatch.safeParse({ name: 'Admin' }).success).toBe(false);
  });

  it('shows visitors the team name, else the display name, never nothing made up', () => {
    expect(visibleOperatorName('Поддержка', 'Анна')).toBe('Поддержка');
    expect(visibleOperatorName('', 'Анна')).toBe('Анна');
    expect(visibleOperatorName('', null)).toBeNull();
  });
});
