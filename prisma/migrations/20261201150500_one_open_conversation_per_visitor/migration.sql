-- One open (not resolved) conversation per visitor, enforced by the database: the one-statement
-- intake of a first message relies on it when two first messages of one visitor race.
-- (A partial index: Prisma's schema cannot express it; the schema engine leaves it alone.)
CREATE UNIQUE INDEX "Conversation_visitorId_open_key" ON "Conversation"("visitorId") WHERE "status" <> 'RESOLVED';
