import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookError } from '../../services/webhook-service.ts';
import { HttpWebhookSender, WebhookHostPolicy } from './http-webhook-sender.ts';
import { newWebhookSecret } from './standard-webhook-signature.ts';

/** A resolver that gives each name its answers in turn (the last one repeats): a re-binding DNS server. */
function resolverStub(answers: Record<string, string[]>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const turn = new Map<string, number>();
  const lookup = ((hostname, options, callback) => {
    calls.push(hostname);
    const list = answers[hostname];
    if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    const i = turn.get(hostname) ?? 0;
    turn.set(hostname, i + 1);
    const address = list[Math.min(i, list.length - 1)]!;
    const family = isIP(address);
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A webhook on loopback that records what reaches it and answers `status` (with `location` for a redirect). */
async function receiver(status = 200, location?: string) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(status, location ? { location } : {}).end());
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, received };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookError);
  expect((error as WebhookError).retryable).toBe(false);
  return (error as WebhookError).message;
};

// What a listed name may point at (a DNS answer is an address, so these are addresses, not spellings).
const REFUSED_ADDRESSES = [
  ['127.0.0.1', 'loopback'],
  ['127.1.2.3', 'loopback'],
  ['::1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['169.254.0.1', 'linkLocal'],
  ['fe80::1', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['::ffff:127.0.0.1', 'ipv4Mapped'],
  ['::ffff:169.254.169.254', 'ipv4Mapped'],
  ['::ffff:10.0.0.1', 'ipv4Mapped'],
  ['::7f00:1', 'IPv4-compatible'],
  ['::a9fe:a9fe', 'IPv4-compatible'],
  ['::ffff:0:7f00:1', 'rfc6145'],
  ['64:ff9b::7f00:1', 'rfc6052'],
  ['2002:7f00:1::1', '6to4'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  ['100::1', 'discard'],
] as const;

describe('a webhook host on the allow-list is still judged by the addresses it resolves to', () => {
  it.each(REFUSED_ADDRESSES)('refuses a listed name that resolves to %s (%s)', async (address, why) => {
    const policy = new WebhookHostPolicy(['hooks.example.test'], resolverStub({ 'hooks.example.test': [address] }));
    expect(await policy.admit('https://hooks.example.test/hook')).toContain(why);
  });

  it('admits a listed name that resolves to public addresses', async () => {
    const policy = new WebhookHostPolicy(['hooks.example.test', 'v6.example.test'], resolverStub({ 'hooks.example.test': ['93.184.216.34'], 'v6.example.test': ['2606:4700::1111'] }));
    expect(await policy.admit('https://hooks.example.test/hook')).toBeNull();
    expect(await policy.admit('https://v6.example.test/hook')).toBeNull();
  });

  it('refuses an answer that mixes a public address with a private one', async () => {
    const mixed: LookupFunction = (_host, _options, callback) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
    const policy = new WebhookHostPolicy(['hooks.example.test'], mixed);
    expect(await policy.admit('https://hooks.example.test/hook')).toContain('10.0.0.7 is a private address');
  });
});

// What a client may send as X-Webhook-URL when only hooks.example.test and a loopback receiver are listed.
const REFUSED_URLS = [
  'http://127.0.0.1/',
  'http://127.0.0.1:6379/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://017700000001/',
  'http://0x7f.0.0.1/',
  'http://127.1/',
  'http://127.000.000.001/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[0:0:0:0:0:ffff:7f00:1]/',
  'http://[::127.0.0.1]/',
  'http://0.0.0.0/',
  'http://0/',
  'http://[::]/',
  'http://localhost/',
  'http://localhost./',
  'http://LOCALHOST:8080/',
  'http://169.254.169.254/latest/meta-data/',
  'http://2852039166/',
  'http://[fd00:ec2::254]/',
  'http://100.64.0.1/',
  'http://224.0.0.1/',
  'http://hooks.example.test@127.0.0.1/',
  'http://127.0.0.1#@hooks.example.test/',
  'http://hooks.example.test.127.0.0.1.nip.io/',
  'http://user:secret@hooks.example.test/',
  'file:///etc/passwd',
  'gopher://hooks.example.test/',
  'ftp://hooks.example.test/',
  'not a url',
];

describe('X-Webhook-URL forms that point anywhere but a listed host', () => {
  it.each(REFUSED_URLS)('refuses %s', async (url) => {
    const policy = new WebhookHostPolicy(['hooks.example.test', '127.0.0.1:9'], resolverStub({ 'hooks.example.test': ['93.184.216.34'] }));
    expect(policy.check(url)).not.toBeNull();
    expect(await policy.admit(url)).not.toBeNull();
  });

  it.each([
    ['169.254.169.254', 'http://169.254.169.254/'],
    ['2852039166', 'http://169.254.169.254/'],
    ['0.0.0.0', 'http://0.0.0.0/'],
    ['[::]', 'http://[::]/'],
    ['[::ffff:127.0.0.1]', 'http://[::ffff:127.0.0.1]/'],
    ['fd00:ec2::254', 'http://[fd00:ec2::254]/'],
    ['224.0.0.1', 'http://224.0.0.1/'],
    ['[fe80::1]', 'http://[fe80::1]/'],
  ])('refuses %s even when it is listed', (listed, url) => {
    expect(new WebhookHostPolicy([listed]).check(url)).toMatch(/metadata|unspecified|ipv4Mapped|multicast|linkLocal/);
  });

  it('reaches loopback only at an address the list names, in any spelling', () => {
    const policy = new WebhookHostPolicy(['2130706433:8080']);
    expect(policy.target('http://127.0.0.1:8080/hook')).toMatchObject({ internalAllowed: true });
    expect(policy.check('http://0x7f000001:8080/hook')).toBeNull();
    expect(policy.check('http://127.0.0.1:6379/')).toContain('not on WEBHOOK_ALLOWED_HOSTS');
  });

  it('refuses to start with an allow-list entry that is not a host', () => {
    expect(() => new WebhookHostPolicy(['https://hooks.example.test/path'])).toThrow('WEBHOOK_ALLOWED_HOSTS');
  });
});

describe('a webhook POST connects only where the check allowed', () => {
  const secret = newWebhookSecret();

  it('refuses at connect a name re-bound to loopback after it was admitted, and nothing reaches the receiver', async () => {
    const hook = await receiver();
    const dns = resolverStub({ 'hooks.example.test': ['93.184.216.34', '127.0.0.1'] });
    const policy = new WebhookHostPolicy(['hooks.example.test'], dns);
    const url = `http://hooks.example.test:${hook.port}/hook`;
    expect(await policy.admit(url)).toBeNull(); // first answer: public
    const message = await refusal(new HttpWebhookSender(policy, 5000).post(url, { text: 'hi' }, 'm-1', secret));
    expect(message).toContain('127.0.0.1 is a loopback address');
    expect(dns.calls).toEqual(['hooks.example.test', 'hooks.example.test']); // the connect resolved for itself
    expect(hook.received).toEqual([]);
  });

  it('lets a name listed with its port reach a receiver on loopback', async () => {
    const hook = await receiver();
    const policy = new WebhookHostPolicy([`receiver.internal:${hook.port}`], resolverStub({ 'receiver.internal': ['127.0.0.1'] }));
    await new HttpWebhookSender(policy, 5000).post(`http://receiver.internal:${hook.port}/hook`, { text: 'hi' }, 'm-1', secret);
    expect(hook.received).toEqual(['/hook']);
  });

  it('refuses a listed name without a port that resolves to loopback', async () => {
    const hook = await receiver();
    const policy = new WebhookHostPolicy(['receiver.internal'], resolverStub({ 'receiver.internal': ['127.0.0.1'] }));
    expect(await refusal(new HttpWebhookSender(policy, 5000).post(`http://receiver.internal:${hook.port}/hook`, {}, 'm-1', secret))).toContain('loopback');
    expect(hook.received).toEqual([]);
  });

  it('treats a redirect to 127.0.0.1 as a failed delivery and does not follow it', async () => {
    const inside = await receiver();
    const hook = await receiver(302, `http://127.0.0.1:${inside.port}/admin`);
    const policy = new WebhookHostPolicy([`127.0.0.1:${hook.port}`]);
    const message = await refusal(new HttpWebhookSender(policy, 5000).post(`http://127.0.0.1:${hook.port}/hook`, {}, 'm-1', secret));
    expect(message).toContain('302');
    expect(hook.received).toEqual(['/hook']);
    expect(inside.received).toEqual([]);
  });
});
