import { describe, expect, it } from 'vitest';
import { handshakeClientIp } from './client-ip.ts';

const handshake = (xff?: string | string[]) => ({ address: '10.0.0.1', headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

describe('handshakeClientIp', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(handshakeClientIp(handshake('203.0.113.7'), { trustProxy: false, hops: 1 })).toBe('10.0.0.1');
  });

  it('takes the address the trusted proxy appended, not what the client wrote before it', () => {
    expect(handshakeClientIp(handshake('203.0.113.7'), { trustProxy: true, hops: 1 })).toBe('203.0.113.7');
    expect(handshakeClientIp(handshake('6.6.6.6, 203.0.113.7'), { trustProxy: true, hops: 1 })).toBe('203.0.113.7');
    expect(handshakeClientIp(handshake(['6.6.6.6', '203.0.113.7, 192.0.2.1']), { trustProxy: true, hops: 2 })).toBe('203.0.113.7');
  });

  it('falls back to the remote address when a trusted proxy sent no header', () => {
    expect(handshakeClientIp(handshake(), { trustProxy: true, hops: 1 })).toBe('10.0.0.1');
    expect(handshakeClientIp(handshake(' , '), { trustProxy: true, hops: 1 })).toBe('10.0.0.1');
  });
});
