/**
 * What a server made Postgres do, from Postgres' own statistics (pg_stat_statements is not
 * preloaded on this machine): committed transactions of its database (pg_stat_database, read from
 * the `postgres` database so that reading does not add to them) and rows inserted + updated +
 * deleted (pg_stat_user_tables). Each statement outside a transaction commits once, so for a
 * server without interactive transactions transactions = statements; inside one they count once.
 */
import { openSql, sleep } from '../../server/test/support/server-process.ts';

export interface DbCounters {
  transactions: number;
  rowsWritten: number;
  /** Rows inserted / updated / deleted by table ("Message ins"), to tell which writes a message costs. */
  byTable: Record<string, number>;
}

export interface DbWatch {
  read(): Promise<DbCounters>;
  /**
   * Reads once the counters stop moving: an idle backend publishes its statistics up to 10 s
   * after its last transaction, and a server's background poller keeps adding a few, so "still"
   * is ≤ `idleSlack` a second.
   */
  settled(idleSlack?: number): Promise<DbCounters>;
  /** Count of one-statement queries run by the bench itself on the watched database since `watch`. */
  ownTransactions(): number;
  /** A query on the watched database (each one commits once: counted in ownTransactions). */
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  end(): Promise<void>;
}

export async function watchDatabase(databaseUrl: string): Promise<DbWatch> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const [admin, own] = await Promise.all([openSql(adminUrl.toString()), openSql(databaseUrl)]);
  let own_ = 0;
  const read = async (): Promise<DbCounters> => {
    const [db] = await admin.query<{ xact: string }>('SELECT xact_commit::text AS xact FROM pg_stat_database WHERE datname = $1', [name]);
    // pg_stat_user_tables is per database: read on the watched one (a read writes no rows).
    own_++;
    const tables = await own.query<{ relname: string; ins: string; upd: string; del: string }>(
      'SELECT relname, n_tup_ins::text AS ins, n_tup_upd::text AS upd, n_tup_del::text AS del FROM pg_stat_user_tables',
    );
    const byTable: Record<string, number> = {};
    let rowsWritten = 0;
    for (const t of tables) {
      for (const kind of ['ins', 'upd', 'del'] as const) {
        const n = Number(t[kind]);
        rowsWritten += n;
        if (n > 0) byTable[`${t.relname} ${kind}`] = n;
      }
    }
    return { transactions: Number(db?.xact ?? NaN), rowsWritten, byTable };
  };
  return {
    read,
    async settled(idleSlack = 20) {
      // An idle backend publishes its pending statistics within PGSTAT_IDLE_INTERVAL (10 s).
      await sleep(11_000);
      let last = await read();
      for (let i = 0; i < 5; i++) {
        await sleep(1000);
        const now = await read();
        const moved = now.transactions - last.transactions - 1; // minus our own read on `own`
        last = now;
        if (moved <= idleSlack) break;
      }
      return last;
    },
    ownTransactions: () => own_,
    async query(sql, params = []) {
      own_++;
      return own.query(sql, params);
    },
    end: async () => {
      await Promise.all([admin.end(), own.end()]);
    },
  };
}

/** Per-message figures between two readings, the bench's own queries taken out. */
export function perMessage(before: DbCounters & { own: number }, after: DbCounters & { own: number }, messages: number) {
  const transactions = after.transactions - before.transactions - (after.own - before.own);
  const byTable: Record<string, number> = {};
  for (const [table, n] of Object.entries(after.byTable)) {
    const moved = n - (before.byTable[table] ?? 0);
    if (moved > 0) byTable[table] = Math.round((moved / messages) * 1000) / 1000;
  }
  return { transactionsPerMessage: transactions / messages, rowsPerMessage: (after.rowsWritten - before.rowsWritten) / messages, byTable };
}
