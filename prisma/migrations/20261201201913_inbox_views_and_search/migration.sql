-- The operators' inbox: views by status with filters, keyset-paginated, and full-text search
-- over messages.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "intent" TEXT,
ADD COLUMN     "intentConfidence" DOUBLE PRECISION;

-- Conversations decided before this migration take the intent of their latest classified
-- visitor message (their escalation's own is not recorded anywhere).
UPDATE "Conversation" c SET "intent" = m."category", "intentConfidence" = m."confidence"
FROM (
  SELECT DISTINCT ON ("conversationId") "conversationId", "category", "confidence"
  FROM "Message" WHERE "author" = 'VISITOR' AND "category" IS NOT NULL
  ORDER BY "conversationId", "seq" DESC
) m
WHERE m."conversationId" = c."id";

-- CreateIndex
CREATE INDEX "Conversation_siteId_status_createdAt_id_idx" ON "Conversation"("siteId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Conversation_status_createdAt_id_idx" ON "Conversation"("status", "createdAt", "id");

-- Full-text search over message text in Russian and English at once: Russian stems Cyrillic
-- words ("роутеры" → "роутер"), English Latin ones ("routers" → "router"). The search query
-- must use this very expression (see adapters/db/prisma-inbox.ts). An expression index: Prisma's
-- schema cannot express it; the schema engine leaves it alone.
CREATE INDEX "Message_text_search_idx" ON "Message" USING GIN ((to_tsvector('russian'::regconfig, "text") || to_tsvector('english'::regconfig, "text")));
