-- DropIndex
DROP INDEX "Conversation_siteId_status_priority_idx";

-- CreateIndex
CREATE INDEX "Conversation_siteId_status_priority_createdAt_id_idx" ON "Conversation"("siteId", "status", "priority", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Conversation_siteId_status_channel_createdAt_id_idx" ON "Conversation"("siteId", "status", "channel", "createdAt", "id");
