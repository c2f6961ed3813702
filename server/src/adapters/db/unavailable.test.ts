import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable.ts';

/** Shapes seen from @prisma/adapter-pg and pg with Postgres refused or cut off by a proxy. */
const prismaError = (code: string, meta: object = {}) => Object.assign(new Error('prisma'), { code, meta });

describe('database unavailable errors', () => {
  it.each([
    ['server closed the connection', prismaError('P1017', { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } })],
    ['connection refused', prismaError('P1001')],
    ['transaction could not start in time', prismaError('P2028')],
    ['no pool slot in time', prismaError('P2024')],
    ['raw query on a broken connection', prismaError('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode: '57P01' } } })],
    ['statement_timeout', prismaError('P2010', { code: '57014' })],
    ['pg read timeout', new Error('Query read timeout')],
    ['pg connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pg pool wait', new Error('timeout exceeded when trying to connect')],
    ['socket refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['wrapped', new Error('processing failed', { cause: new Error('Connection terminated unexpectedly') })],
  ])('%s is retryable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation', prismaError('P2002')],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'P1001'],
  ])('%s is not', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
