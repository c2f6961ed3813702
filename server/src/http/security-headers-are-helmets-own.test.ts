import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { recordHeaders } from './security-headers.ts';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));

describe('security headers recorded once from helmet', () => {
  it.each([
    ['the common set', () => helmet({ contentSecurityPolicy: false, strictTransportSecurity: false, xFrameOptions: { action: 'deny' } })],
    ['a CSP', () => helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } })],
    ['HSTS', () => helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true })],
  ])('puts on a response exactly what helmet itself puts there: %s', (_, make) => {
    const byHelmet = response();
    byHelmet.setHeader('X-Powered-By', 'something');
    make()(byHelmet.req, byHelmet, (error?: unknown) => expect(error).toBeUndefined());

    const edits = recordHeaders(make());
    const copied = response();
    copied.setHeader('X-Powered-By', 'something');
    for (const name of edits.removed) copied.removeHeader(name);
    for (const [name, value] of edits.set) copied.setHeader(name, value);

    expect(copied.getHeaders()).toEqual(byHelmet.getHeaders());
    expect(Object.keys(copied.getHeaders()).length).toBeGreaterThan(0);
  });

  it('refuses a middleware that does not finish at once (it might depend on the request)', () => {
    expect(() => recordHeaders(() => undefined)).toThrow(/did not finish at once/);
  });
});
