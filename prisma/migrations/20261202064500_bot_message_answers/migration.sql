-- A bot message names the visitor message it answers. A reply due at once is written by its
-- decision's statement with no PendingReply row, so the message itself says what it answers (a
-- REST retry of that message gets the same answer back). Only bot messages carry it: the index
-- holds those alone.
ALTER TABLE "Message" ADD COLUMN "inReplyTo" TEXT;

CREATE INDEX "Message_inReplyTo_idx" ON "Message" ("inReplyTo") WHERE "inReplyTo" IS NOT NULL;
