-- The inbox search reads its own table instead of stemming "Message"."text" per query or
-- through an expression index: one row per message (its words, its site, its time), written by
-- a trigger on "Message", so none of the code that writes messages changes and "Message" rows
-- keep their columns. With the site and time beside the words, a common word's search walks one
-- site's newest rows (MessageSearch_siteId_createdAt_messageId_idx) and a rare word's uses the
-- GIN index; the planner picks by the words' frequencies that ANALYZE keeps for "vector".

-- CreateTable
CREATE TABLE "MessageSearch" (
    "messageId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "vector" tsvector NOT NULL,

    CONSTRAINT "MessageSearch_pkey" PRIMARY KEY ("messageId")
);

-- Russian stems Cyrillic words ("роутеры" → "роутер"), English Latin ones ("routers" → "router").
CREATE FUNCTION "message_search_vector"(body TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_tsvector('russian'::regconfig, body) || to_tsvector('english'::regconfig, body);

CREATE FUNCTION "message_search_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MessageSearch" ("messageId", "siteId", "createdAt", "vector")
  SELECT NEW."id", c."siteId", NEW."createdAt", "message_search_vector"(NEW."text")
  FROM "Conversation" c WHERE c."id" = NEW."conversationId";
  RETURN NULL;
END $$;

CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message"
  FOR EACH ROW EXECUTE FUNCTION "message_search_insert"();

-- The messages written before this migration.
INSERT INTO "MessageSearch" ("messageId", "siteId", "createdAt", "vector")
SELECT m."id", c."siteId", m."createdAt", "message_search_vector"(m."text")
FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId";

-- Replaced by MessageSearch_vector_idx.
DROP INDEX "Message_text_search_idx";

-- CreateIndex
CREATE INDEX "MessageSearch_siteId_createdAt_messageId_idx" ON "MessageSearch"("siteId", "createdAt", "messageId");

-- CreateIndex
CREATE INDEX "MessageSearch_vector_idx" ON "MessageSearch" USING GIN ("vector");

-- AddForeignKey
ALTER TABLE "MessageSearch" ADD CONSTRAINT "MessageSearch_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Analytics: a conversation's first operator message, one probe per conversation, into an index
-- of operator messages only (small, and untouched by visitor and bot messages). Prisma's schema
-- cannot say WHERE; the schema engine leaves this index alone.
CREATE INDEX "Message_operator_reply_idx" ON "Message" ("conversationId", "createdAt") WHERE "author" = 'OPERATOR';

-- The inbox views filtered by intent walk only that intent's conversations of a site and status.
CREATE INDEX "Conversation_siteId_status_intent_createdAt_id_idx" ON "Conversation"("siteId", "status", "intent", "createdAt", "id");
