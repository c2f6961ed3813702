import { describe, expect, it } from 'vitest';
import { DataDirLockedError } from './adapters/db/data-dir-lock.ts';
import { describeStartupError } from './startup-errors.ts';

const env = { DATABASE_URL: 'postgresql://app:secret@db.internal:6543/chat', REDIS_URL: 'redis://127.0.0.1:6380' };
const socketError = (code: string, address?: string, port?: number) => Object.assign(new Error(`connect ${code}`), { code, address, port });

describe('describeStartupError', () => {
  it('names DATABASE_URL and its host (never the password) for a refused connection', () => {
    expect(describeStartupError(socketError('ECONNREFUSED', '10.0.0.5', 6543), env)).toBe('Cannot reach DATABASE_URL (db.internal:6543): connection refused');
  });

  it('finds the socket error inside an AggregateError (both address families) or a cause', () => {
    const both = new AggregateError([socketError('ECONNREFUSED', '::1', 6543), socketError('ECONNREFUSED', '127.0.0.1', 6543)]);
    expect(describeStartupError(both, env)).toBe('Cannot reach DATABASE_URL (db.internal:6543): connection refused');
    expect(describeStartupError(new Error('adapter', { cause: socketError('ENOTFOUND') }), env)).toBe('Cannot reach DATABASE_URL (db.internal:6543): host not found');
    expect(describeStartupError(new Error('Connection terminated due to connection timeout'), env)).toBe('Cannot reach DATABASE_URL (db.internal:6543): timed out');
  });

  it("names REDIS_URL when the failed address is Redis's", () => {
    expect(describeStartupError(socketError('ECONNREFUSED', '127.0.0.1', 6380), env)).toBe('Cannot reach REDIS_URL (127.0.0.1:6380): connection refused');
  });

  it('uses the default port when the URL has none', () => {
    expect(describeStartupError(socketError('ETIMEDOUT'), { DATABASE_URL: 'postgresql://db.internal/chat' })).toBe('Cannot reach DATABASE_URL (db.internal:5432): timed out');
  });

  it('passes the DATA_DIR lock message through and leaves anything else to the log', () => {
    expect(describeStartupError(new DataDirLockedError('/srv/data', 42), env)).toBe('DATA_DIR=/srv/data is in use by another server process (pid 42): stop it first, or set another DATA_DIR');
    expect(describeStartupError(new TypeError('x is undefined'), env)).toBeNull();
    expect(describeStartupError(socketError('ECONNREFUSED'), {})).toBeNull();
  });
});
