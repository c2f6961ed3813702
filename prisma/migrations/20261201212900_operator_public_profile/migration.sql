-- AlterTable
ALTER TABLE "Operator" ADD COLUMN     "avatarUrl" TEXT,
ADD COLUMN     "displayName" TEXT;
