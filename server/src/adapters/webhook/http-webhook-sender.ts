/**
 * POSTs JSON to a platform's webhook with Node's fetch. Only hosts on WEBHOOK_ALLOWED_HOSTS are
 * ever contacted (checked when the URL is accepted and again here), so a client cannot make the
 * server call arbitrary internal addresses.
 */
import { WebhookError } from '../../services/webhook-service.ts';
import type { WebhookSender } from '../../services/ports.ts';

export class WebhookHostPolicy {
  private readonly hosts: Set<string>;

  constructor(allowedHosts: readonly string[]) {
    this.hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  }

  /** Returns a reason when the URL may not be used, null when it may. */
  check(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'X-Webhook-URL is not a valid URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'X-Webhook-URL must be http(s)';
    if (parsed.username || parsed.password) return 'X-Webhook-URL must not carry credentials';
    const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const withPort = parsed.port ? `${host}:${parsed.port}` : host;
    if (!this.hosts.has(host) && !this.hosts.has(withPort)) return `webhook host ${host} is not on WEBHOOK_ALLOWED_HOSTS`;
    return null;
  }
}

export class HttpWebhookSender implements WebhookSender {
  constructor(
    private readonly policy: WebhookHostPolicy,
    private readonly timeoutMs: number,
  ) {}

  async post(url: string, payload: unknown, idempotencyKey: string): Promise<void> {
    const refusal = this.policy.check(url);
    if (refusal) throw new WebhookError(refusal, false);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-message-id': idempotencyKey, 'user-agent': 'support-chat-webhook/1' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error', // a redirect could point past the allow-list
      });
    } catch (error) {
      throw new WebhookError(`webhook request failed: ${(error as Error).message}`, true);
    }
    await response.body?.cancel();
    if (response.status >= 500 || response.status === 429) throw new WebhookError(`webhook answered ${response.status}`, true);
    if (response.status >= 400) throw new WebhookError(`webhook answered ${response.status}`, false);
  }
}
