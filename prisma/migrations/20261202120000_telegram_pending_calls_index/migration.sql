-- A Telegram call is pending for a second or so, then delivered (or given up) for good; every
-- reply asks whether its chat still has a pending call. On the index (status, nextAttemptAt) that
-- check read every PENDING entry — the live ones and those left behind by calls already
-- delivered until vacuum: ~720 entries per reply in `pnpm bench telegram` (1,000 updates).
-- A partial index of only the pending calls, by site and chat, answers it from the chat's own
-- entries; the sweep reads the same pending rows from it, and a delivered call adds no entry.
DROP INDEX "TelegramCall_status_nextAttemptAt_idx";

CREATE INDEX "TelegramCall_pending_chat_idx" ON "TelegramCall" ("siteId", ("payload"->>'chat_id')) WHERE "status" = 'PENDING';
