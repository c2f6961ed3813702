/**
 * How long a login attempt on an account waits, from the account's recent failures. A hard
 * per-email lockout lets anyone lock an operator out by failing on purpose; a delay that grows
 * with the failures slows a distributed guesser just as well, and the operator's usual address
 * skips it (operator-login.ts), so the right password from there is never held back.
 */

/** Failures an account may have before its attempts start to wait (typos happen). */
export const FREE_FAILURES = 3;
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 8_000;

/** 0 up to FREE_FAILURES, then 250 ms doubling per failure, at most 8 s. */
export function loginDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}
