-- Bot replies are the site's templates and article passages, the same words in conversation after
-- conversation: a search for them lists every conversation the bot answered, which helps nobody,
-- and indexing them cost a row and two stemmings on every reply of the message path. Visitors' and
-- operators' messages are still searched.
DROP TRIGGER "Message_search_insert" ON "Message";

CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message"
  FOR EACH ROW WHEN (NEW."author" <> 'BOT') EXECUTE FUNCTION "message_search_insert"();

DELETE FROM "MessageSearch" s USING "Message" m WHERE m."id" = s."messageId" AND m."author" = 'BOT';
