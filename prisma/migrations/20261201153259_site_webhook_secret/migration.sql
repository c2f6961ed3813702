-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "webhookSecret" TEXT;
