-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "decideLeaseUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Message_category_createdAt_idx" ON "Message"("category", "createdAt");

-- CreateIndex
CREATE INDEX "PendingReply_inReplyTo_idx" ON "PendingReply"("inReplyTo");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");
