-- Sites become data with their own teams: the deployment-wide `admin` becomes an `owner`, and
-- every existing operator joins every existing site as an operator (until now operators served
-- every site), so nobody loses what they could do before.
-- CreateEnum
CREATE TYPE "SiteRole" AS ENUM ('admin', 'operator');

-- AlterEnum
BEGIN;
CREATE TYPE "OperatorRole_new" AS ENUM ('operator', 'owner');
ALTER TABLE "public"."Operator" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "Operator" ALTER COLUMN "role" TYPE "OperatorRole_new" USING ((CASE WHEN "role"::text = 'admin' THEN 'owner' ELSE "role"::text END)::"OperatorRole_new");
ALTER TYPE "OperatorRole" RENAME TO "OperatorRole_old";
ALTER TYPE "OperatorRole_new" RENAME TO "OperatorRole";
DROP TYPE "public"."OperatorRole_old";
ALTER TABLE "Operator" ALTER COLUMN "role" SET DEFAULT 'operator';
COMMIT;

-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "widgetSettings" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "SiteMembership" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "siteId" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "role" "SiteRole" NOT NULL DEFAULT 'operator',

    CONSTRAINT "SiteMembership_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SiteMembership_operatorId_idx" ON "SiteMembership"("operatorId");

-- CreateIndex
CREATE UNIQUE INDEX "SiteMembership_siteId_operatorId_key" ON "SiteMembership"("siteId", "operatorId");

-- AddForeignKey
ALTER TABLE "SiteMembership" ADD CONSTRAINT "SiteMembership_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteMembership" ADD CONSTRAINT "SiteMembership_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing operators keep serving the sites they served (all of them).
INSERT INTO "SiteMembership" ("id", "siteId", "operatorId", "role")
SELECT gen_random_uuid()::text, "Site"."id", "Operator"."id", 'operator'
FROM "Operator" CROSS JOIN "Site"
WHERE "Operator"."role" = 'operator';
