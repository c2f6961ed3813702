import { describe, expect, it } from 'vitest';
import { loadIntentExamples, SHARED_DEV_FILE } from '../../adapters/intents-dataset.ts';
import { isSameRequest, requestContent, type RequestContent } from './same-request.ts';

// isSameRequest keeps each pair's answer, as the rules ask again at every new message. A copy of a
// content is a key it has never seen, so comparing copies computes the answer afresh.
const fresh = (content: RequestContent): RequestContent => structuredClone(content);

describe('isSameRequest remembers its answers', () => {
  const texts = loadIntentExamples({ only: [SHARED_DEV_FILE] }).map((e) => e.text);

  it('answers every pair of dev-set messages, asked again, as it does afresh', () => {
    const copies = new Map(texts.map((text) => [text, fresh(requestContent(text))]));
    const differing: string[] = [];
    let same = 0;
    for (const later of texts) {
      for (const earlier of texts) {
        const first = isSameRequest(requestContent(later), requestContent(earlier));
        const again = isSameRequest(requestContent(later), requestContent(earlier));
        const computed = isSameRequest(copies.get(later)!, copies.get(earlier)!);
        if (first !== computed || again !== computed) differing.push(`${later} / ${earlier}`);
        if (computed) same += 1;
      }
    }
    expect(differing).toEqual([]);
    // Both answers occur, so the comparison above is not vacuous.
    expect(same).toBeGreaterThan(texts.length);
    expect(same).toBeLessThan(texts.length ** 2);
  });
});
