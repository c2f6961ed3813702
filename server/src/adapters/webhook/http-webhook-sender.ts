/**
 * POSTs signed JSON to a platform's webhook. Only hosts on WEBHOOK_ALLOWED_HOSTS are contacted
 * (checked when the URL is accepted and again here), and only at addresses the address policy
 * allows, checked on the very addresses the socket connects to: a name that resolves, or is
 * re-bound, to a private or metadata address is refused. Redirects are never followed.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookSender } from '../../services/ports.ts';
import { WebhookError } from '../../services/webhook-service.ts';
import { addressRefusal, checkedLookup, WebhookAddressRefused } from './webhook-address-policy.ts';
import { signatureHeaders } from './standard-webhook-signature.ts';

/** A URL that passed the host check, and whether it may reach internal addresses. */
export interface WebhookTarget {
  url: URL;
  internalAllowed: boolean;
}

export class WebhookHostPolicy {
  /** Allowed host (as URL parsing normalizes it) → its listed ports, '*' for a bare host. */
  private readonly hosts = new Map<string, Set<string>>();

  /** `resolve` is the DNS lookup (tests pass a stub to play a resolver that re-binds). */
  constructor(
    allowedHosts: readonly string[],
    readonly resolve: LookupFunction = dnsLookup as LookupFunction,
  ) {
    for (const entry of allowedHosts) {
      const { host, port } = parseEntry(entry);
      this.hosts.set(host, (this.hosts.get(host) ?? new Set()).add(port));
    }
  }

  /**
   * The host check alone (no DNS): a reason when the URL may not be used, null when it may.
   * Loopback and private networks are reachable only when the list names them explicitly: the
   * address itself (`127.0.0.1`, `[::1]:8080`) or a host with its port (`receiver:8080`); a bare
   * name (`hooks.example.com`) must resolve to public addresses.
   */
  target(url: string): WebhookTarget | string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'X-Webhook-URL is not a valid URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'X-Webhook-URL must be http(s)';
    if (parsed.username || parsed.password) return 'X-Webhook-URL must not carry credentials';
    const ports = this.hosts.get(parsed.hostname);
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    if (!ports || (!ports.has('*') && !ports.has(port))) return `webhook host ${parsed.host} is not on WEBHOOK_ALLOWED_HOSTS`;
    const address = bare(parsed.hostname);
    if (isIP(address)) {
      const refusal = addressRefusal(address, true);
      return refusal ? `webhook host ${refusal}` : { url: parsed, internalAllowed: true };
    }
    return { url: parsed, internalAllowed: ports.has(port) };
  }

  check(url: string): string | null {
    const target = this.target(url);
    return typeof target === 'string' ? target : null;
  }

  /** The host check plus where the name resolves now, for refusing a URL when it is accepted. */
  async admit(url: string): Promise<string | null> {
    const target = this.target(url);
    if (typeof target === 'string') return target;
    const host = bare(target.url.hostname);
    if (isIP(host)) return null;
    return new Promise((resolve) =>
      checkedLookup(this.resolve, target.internalAllowed)(host, { all: true }, (error) => resolve(error ? error.message : null)),
    );
  }
}

/** `host` or `host:port` as the URL parser normalizes it (so `2130706433` is `127.0.0.1`). */
function parseEntry(entry: string): { host: string; port: string } {
  const raw = entry.trim().toLowerCase();
  try {
    const url = new URL(`http://${isIP(raw) === 6 ? `[${raw}]` : raw}`);
    if (url.pathname !== '/' || url.username || url.search || url.hash) throw new Error('not a host');
    return { host: url.hostname, port: /:\d+$/.test(raw) ? url.port || '80' : '*' };
  } catch {
    throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a host or host:port`);
  }
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

export class HttpWebhookSender implements WebhookSender {
  // Keep-alive: a platform gets many deliveries; a pooled socket stays on its checked address.
  private readonly agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  constructor(
    private readonly policy: WebhookHostPolicy,
    private readonly timeoutMs: number,
  ) {}

  async post(url: string, payload: unknown, messageId: string, secret: string): Promise<void> {
    const target = this.policy.target(url);
    if (typeof target === 'string') throw new WebhookError(target, false);
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'support-chat-webhook/1',
      'x-message-id': messageId,
      ...signatureHeaders(secret, messageId, new Date(), body),
    };
    let status: number;
    try {
      status = await this.send(target, headers, body);
    } catch (error) {
      if (error instanceof WebhookAddressRefused) throw new WebhookError(error.message, false);
      throw new WebhookError(`webhook request failed: ${(error as Error).message}`, true);
    }
    // A redirect could point past the allow-list and the address policy: it is an answer, not a way.
    if (status >= 300 && status < 400) throw new WebhookError(`webhook answered ${status} (redirects are not followed)`, false);
    if (status >= 500 || status === 429) throw new WebhookError(`webhook answered ${status}`, true);
    if (status >= 400) throw new WebhookError(`webhook answered ${status}`, false);
  }

  private send(target: WebhookTarget, headers: Record<string, string>, body: string): Promise<number> {
    const request = target.url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(
        target.url,
        {
          method: 'POST',
          headers,
          agent: this.agents[target.url.protocol as 'http:' | 'https:'],
          lookup: checkedLookup(this.policy.resolve, target.internalAllowed),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          res.resume(); // the answer's body is not read, only drained so the socket can be reused
          res.on('error', () => {}); // a body cut short changes nothing: the status is the answer
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
