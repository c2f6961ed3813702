/*
  Warnings:

  - You are about to drop the column `lastSeq` on the `Conversation` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "Conversation" DROP COLUMN "lastSeq";
