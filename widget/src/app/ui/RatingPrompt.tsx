import type { RatingState } from '../chat.ts';
import type { Strings } from '../i18n.ts';

export function RatingPrompt({ state, t, onRate }: { state: RatingState; t: Strings; onRate: (n: number) => void }) {
  if (state === 'hidden') return null;
  if (state === 'done') {
    return (
      <div class="rating" role="status">
        {t.rateThanks}
      </div>
    );
  }
  return (
    <div class="rating" role="group" aria-label={t.rateQuestion}>
      <p>{t.rateQuestion}</p>
      <div class="stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <button type="button" disabled={state === 'sending'} aria-label={`${n} ${t.rateOf5}`} onClick={() => onRate(n)}>
            {n}
          </button>
        ))}
      </div>
      {state === 'failed' && (
        <p class="err" role="alert">
          {t.failed}
        </p>
      )}
    </div>
  );
}
