-- Undecided visitor messages (category NULL) are a handful at any time; every other message is
-- decided or written by the bot. Two readers look for them: the decision's check that no earlier
-- message of the conversation is still undecided (it ran over all of the conversation's messages)
-- and the recovery sweep (oldest first, over all conversations). A partial index of only those
-- rows serves both in a few entries, where the index on (category, createdAt) held every message.
DROP INDEX "Message_category_createdAt_idx";

CREATE INDEX "Message_undecided_idx" ON "Message" ("conversationId", "seq") WHERE "category" IS NULL AND "author" = 'VISITOR';
