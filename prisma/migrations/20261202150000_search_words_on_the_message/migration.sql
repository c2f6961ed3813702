-- The inbox search's words move from their own table onto the message: every visitor and operator
-- message wrote a second row (MessageSearch: words, site, time), with its own heap tuple, three
-- index entries and a foreign-key check locking the message row. Now a trigger BEFORE the insert
-- fills two columns of the message row itself (no second row): its words and its conversation's
-- site, copied so that a search still walks one site's newest messages without a join. Bot
-- replies keep NULL in both (migration search_skips_bot_replies), and the two indexes hold only
-- the searchable messages.
--
-- A trigger rather than a generated column: the site is another table's, and a stored generated
-- column is computed again at every UPDATE of the row (Postgres 15) — the decision writing the
-- category, the delivery writing deliveredAt — where the words change only with the text.

-- AlterTable
ALTER TABLE "Message" ADD COLUMN "searchSiteId" TEXT,
ADD COLUMN "searchVector" tsvector;

UPDATE "Message" m SET "searchSiteId" = s."siteId", "searchVector" = s."vector"
FROM "MessageSearch" s WHERE s."messageId" = m."id";

DROP TRIGGER "Message_search_insert" ON "Message";
DROP FUNCTION "message_search_insert"();
DROP TABLE "MessageSearch";

CREATE FUNCTION "message_search_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchSiteId" := (SELECT c."siteId" FROM "Conversation" c WHERE c."id" = NEW."conversationId");
  NEW."searchVector" := "message_search_vector"(NEW."text");
  RETURN NEW;
END $$;

-- On INSERT only: no message's text is ever edited, and any BEFORE UPDATE trigger, even one for
-- another column, makes Postgres fetch and lock the old row first at every UPDATE of a message.
CREATE TRIGGER "Message_search_words" BEFORE INSERT ON "Message"
  FOR EACH ROW WHEN (NEW."author" <> 'BOT') EXECUTE FUNCTION "message_search_words"();

-- Partial: bot replies (NULL) take no entry. Prisma's schema cannot say WHERE; the schema engine
-- leaves these indexes alone.
CREATE INDEX "Message_search_site_idx" ON "Message" ("searchSiteId", "createdAt", "id") WHERE "searchSiteId" IS NOT NULL;
CREATE INDEX "Message_search_vector_idx" ON "Message" USING GIN ("searchVector") WHERE "searchVector" IS NOT NULL;
