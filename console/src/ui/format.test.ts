import { describe, expect, it } from 'vitest';
import { categoryLabel, confidenceLabel, reasonLabel, visitorLabel, waitedLabel } from './format.ts';

describe('labels', () => {
  it('reads the server escalation reasons', () => {
    expect(reasonLabel('complaint')).toBe('Complaint');
    expect(reasonLabel('human_request')).toBe('Asked for a human');
    expect(reasonLabel('human_request×2')).toBe('Asked for a human ×2');
    expect(reasonLabel('repeat:TECH_SUPPORT_BASIC×3')).toBe('Repeated question (Tech support) ×3');
    expect(reasonLabel('low_confidence×3')).toBe('Bot unsure ×3');
    expect(reasonLabel('something new')).toBe('something new');
    expect(reasonLabel(null)).toBe('—');
  });

  it('names categories and unknown template keys readably', () => {
    expect(categoryLabel('OUTAGE_REPORT')).toBe('Outage report');
    expect(categoryLabel('SOME_NEW_KEY')).toBe('Some new key');
    expect(categoryLabel(null)).toBe('Not classified');
  });

  it('shows confidence as a percentage', () => {
    expect(confidenceLabel(0.873)).toBe('87%');
    expect(confidenceLabel(null)).toBe('—');
  });

  it('shows how long a visitor has waited', () => {
    const since = '2026-01-01T10:00:00.000Z';
    const at = (minutes: number) => Date.parse(since) + minutes * 60_000;
    expect(waitedLabel(since, at(0.5))).toBe('just now');
    expect(waitedLabel(since, at(4))).toBe('4 min');
    expect(waitedLabel(since, at(65))).toBe('1 h 5 min');
    expect(waitedLabel(since, at(120))).toBe('2 h');
    expect(waitedLabel(since, at(60 * 27))).toBe('1 d 3 h');
    expect(waitedLabel(null, at(1))).toBe('—');
  });

  it('names the visitor by name, else by the email they left, else by id', () => {
    expect(visitorLabel({ visitorName: 'Анна', visitorEmail: 'anna@example.com', visitorId: 'v-1' })).toBe('Анна');
    expect(visitorLabel({ visitorName: null, visitorEmail: 'anna@example.com', visitorId: 'v-1' })).toBe('anna@example.com');
    expect(visitorLabel({ visitorName: null, visitorEmail: null, visitorId: 'v-1' })).toBe('v-1');
  });
});
