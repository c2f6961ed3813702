-- Search returns the newest matches first: for a common word the planner walks the messages
-- newest first and stops at a page, instead of sorting every match the GIN index finds.
-- CreateIndex
CREATE INDEX "Message_createdAt_id_idx" ON "Message"("createdAt", "id");
