-- REST callers are now stored as `rest:<platform>:<client_id>` (platform percent-encoded; 'api'
-- when the caller sent no X-Platform), so no widget visitor id can name them. Visitors created
-- by REST before this move into that space. Only visitors that have REST conversations alone are
-- renamed, and only platforms that percent-encoding leaves unchanged (other ones start afresh).
UPDATE "Visitor" v
SET "externalId" = 'rest:' || p."platform" || ':' || v."externalId"
FROM (
  SELECT c."visitorId", min(coalesce(c."platform", 'api')) AS "platform"
  FROM "Conversation" c
  GROUP BY c."visitorId"
  HAVING bool_and(c."channel" = 'REST') AND count(DISTINCT coalesce(c."platform", 'api')) = 1
) p
WHERE p."visitorId" = v."id"
  AND v."externalId" NOT LIKE 'rest:%'
  AND p."platform" ~ '^[A-Za-z0-9_.!~*''()-]+$'
  AND NOT EXISTS (
    SELECT 1 FROM "Visitor" o WHERE o."siteId" = v."siteId" AND o."externalId" = 'rest:' || p."platform" || ':' || v."externalId"
  );
