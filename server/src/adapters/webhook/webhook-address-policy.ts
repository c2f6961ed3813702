/**
 * Which IP addresses a webhook may connect to. A host name on WEBHOOK_ALLOWED_HOSTS says nothing
 * about where it points today (or after a re-bind), so every address is judged again at connect:
 * public unicast only; loopback and private networks only when the allow-list names them
 * explicitly; cloud metadata, link-local, multicast, unspecified and addresses that embed an IPv4
 * address (mapped, compatible, NAT64, 6to4, Teredo) never.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Ranges a receiver inside our own network may use when WEBHOOK_ALLOWED_HOSTS names it. */
const INTERNAL_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Instance metadata services (AWS, GCP, Azure; AWS over IPv6; Alibaba): never a webhook. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** IPv4-compatible IPv6 (::a.b.c.d, deprecated) is reported as unicast by ipaddr.js. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

export class WebhookAddressRefused extends Error {
  override name = 'WebhookAddressRefused';
}

/** Why a connection to `address` is refused, or null when it may be made. */
export function addressRefusal(address: string, internalAllowed: boolean): string | null {
  if (isIP(address) === 0) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  if (METADATA.has(parsed.toString())) return `${address} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast') return parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE) ? `${address} is an IPv4-compatible IPv6 address` : null;
  if (internalAllowed && INTERNAL_RANGES.has(range)) return null;
  return `${address} is a ${range} address${INTERNAL_RANGES.has(range) ? ' (list it in WEBHOOK_ALLOWED_HOSTS to allow it)' : ''}`;
}

/**
 * A `lookup` for the socket that resolves the name once, refuses the whole answer when any
 * address in it is refused, and hands the checked addresses to the connect itself: the socket can
 * only reach what was checked, so a re-bind between a check and the connect changes nothing.
 */
export function checkedLookup(resolve: LookupFunction, internalAllowed: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname, { ...options, all: true }, (error, answer) => {
      if (error) return callback(error, '');
      const addresses = answer as LookupAddress[];
      const refusals = addresses.map((a) => addressRefusal(a.address, internalAllowed)).filter((r) => r !== null);
      if (refusals.length > 0) return callback(new WebhookAddressRefused(`webhook host ${hostname} resolves to ${refusals.join('; ')}`), '');
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
