/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing, so a receiver can verify our POSTs
 * with any of its libraries: `webhook-id` (the message id, the same on every retry),
 * `webhook-timestamp` (seconds, this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` under the site's `whsec_<base64>` key. node:crypto rather than the
 * `standardwebhooks` package, which the tests use as the independent verifier.
 */
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new signing key: 32 random bytes, in the spec's `whsec_<base64>` form. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

export function signatureHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
