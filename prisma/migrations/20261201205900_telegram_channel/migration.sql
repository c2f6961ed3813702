-- AlterEnum
ALTER TYPE "Channel" ADD VALUE 'TELEGRAM';

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "deliveryBlockedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "telegramBotToken" TEXT,
ADD COLUMN     "telegramEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "telegramPollLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "telegramPollOwner" TEXT;

-- CreateTable
CREATE TABLE "TelegramCall" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "siteId" TEXT NOT NULL,
    "conversationId" TEXT,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "TelegramCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TelegramCall_key_key" ON "TelegramCall"("key");

-- CreateIndex
CREATE INDEX "TelegramCall_status_nextAttemptAt_idx" ON "TelegramCall"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TelegramCall_createdAt_idx" ON "TelegramCall"("createdAt");

-- AddForeignKey
ALTER TABLE "TelegramCall" ADD CONSTRAINT "TelegramCall_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelegramCall" ADD CONSTRAINT "TelegramCall_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
