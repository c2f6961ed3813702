import { PrismaStore } from '../../src/adapters/db/prisma-store.ts';
import type { Statements } from '../../src/adapters/db/statements.ts';
import type { TestServer } from './test-server.ts';

/**
 * A store on the test server's database and statements that counts the statements it sends, for
 * tests that bound how many statements a batch of calls takes.
 */
export function countingStore(server: TestServer) {
  const shared = server.services.store;
  const inner = shared['sql'] as Statements;
  const counter = { statements: 0 };
  const counted: Statements = { rows: (statement) => (counter.statements++, inner.rows(statement)) };
  return { store: new PrismaStore(shared['db'], counted), counter, db: shared['db'] };
}
