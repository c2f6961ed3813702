-- CreateEnum
CREATE TYPE "OperatorAvailability" AS ENUM ('online', 'away');

-- AlterTable
ALTER TABLE "Operator" ADD COLUMN     "availability" "OperatorAvailability" NOT NULL DEFAULT 'online',
ADD COLUMN     "maxConversations" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "autoAssign" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SiteMembership" ADD COLUMN     "lastAssignedAt" TIMESTAMP(3);
