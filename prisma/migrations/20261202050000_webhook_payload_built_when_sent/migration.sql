-- A bot reply's webhook job is stored by the statement that delivers the reply (so a crash right
-- after cannot lose it); its payload is built from the message when it is sent.
ALTER TABLE "WebhookDelivery" ALTER COLUMN "payload" DROP NOT NULL;
