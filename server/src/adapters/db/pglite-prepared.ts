/**
 * The store's hand-written statements on the embedded PGlite as named prepared statements, as
 * node-postgres runs them on Postgres (statements.ts). PGlite's `query` parses, analyses and
 * plans its text at every call (an unnamed statement: Parse, Describe, Bind, Describe, Execute,
 * Sync, each a separate pass into the WebAssembly backend), and the message path's statements
 * are large CTEs. Here each text is parsed and described once (Parse + Describe + Sync), then each
 * call is one pass: Bind + Execute + Sync, with the parameter types and the row description kept
 * from the first. Postgres plans a prepared statement once it has run it five times (a generic
 * plan) when that is no worse than planning each call.
 *
 * PGlite is one session: a name prepared stays valid for as long as this PGlite is open, and the
 * names live beside it (the worker's PGlite, or the one on this thread). Should one be gone all
 * the same (a DEALLOCATE, a DISCARD ALL), the statement is prepared again and run once more.
 */
import { messages as protocolMessages, protocol, types, type PGlite } from '@electric-sql/pglite';

/** What a store statement's runner needs: its rows, typed as the store expects (below). */
export interface PreparedQueries {
  prepared<T>(sql: string, params: unknown[]): Promise<T[]>;
}

const TIMESTAMP = 1114;
const TIMESTAMP_ARRAY = 1115;
/** `timestamp(3)` holds UTC (Prisma's convention); PGlite would read it as local time. */
export const utc = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

/** As many names as node-postgres' runner allows per connection (statements.ts): past it, a new text runs unnamed. */
const MAX_PREPARED = 500;
/** Postgres' "prepared statement … does not exist". */
const UNDEFINED_STATEMENT = '26000';

interface Prepared {
  name: string;
  paramTypes: number[];
  fields: { name: string; dataTypeID: number }[];
}

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export class PreparedStatements implements PreparedQueries {
  private readonly statements = new Map<string, Prepared>();
  private nextName = 0;
  /** PGlite's parsers (its array types are known once it is open) with the store's timestamps. */
  private parsersMemo: Record<number, (text: string, typeId?: number) => unknown> | undefined;

  constructor(private readonly pglite: PGlite) {}

  /** Rows as objects: timestamps as Dates in UTC, JSON parsed, `int` as numbers (PGlite's parsers). */
  async prepared<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (!this.statements.has(sql) && this.statements.size >= MAX_PREPARED) {
      return (await this.pglite.query<T>(sql, params, { parsers: this.parsers() })).rows;
    }
    await this.pglite._checkReady();
    // As PGlite's own `query` does: not inside another caller's transaction, nor beside another query.
    return this.pglite._runExclusiveTransaction(() => this.pglite._runExclusiveQuery(() => this.run<T>(sql, params, true)));
  }

  private async run<T>(sql: string, params: unknown[], retry: boolean): Promise<T[]> {
    const statement = this.statements.get(sql) ?? (await this.prepare(sql));
    const values = params.map((param, i) => this.serializeParam(param, statement.paramTypes[i]));
    let messages;
    try {
      messages = await this.pglite.execProtocolStream(concat([serialize.bind({ statement: statement.name, values }), serialize.execute(), serialize.sync()]));
    } catch (error) {
      if (retry && (error as { code?: string }).code === UNDEFINED_STATEMENT) {
        this.statements.delete(sql);
        return this.run<T>(sql, params, false);
      }
      throw error;
    }
    const parsers = this.parsers();
    const rows: T[] = [];
    for (const message of messages) {
      if (message.name !== 'dataRow') continue;
      const row: Record<string, unknown> = {};
      (message as protocolMessages.DataRowMessage).fields.forEach((text, i) => {
        const field = statement.fields[i]!;
        row[field.name] = types.parseType(text, field.dataTypeID, parsers);
      });
      rows.push(row as T);
    }
    return rows;
  }

  /** Parses and describes `sql` under a new name; a statement that fails to parse keeps none. */
  private async prepare(sql: string): Promise<Prepared> {
    const name = `store_${this.nextName++}`;
    const messages = await this.pglite.execProtocolStream(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
      syncToFs: false,
    });
    let paramTypes: number[] = [];
    let fields: Prepared['fields'] = [];
    for (const message of messages) {
      if (message.name === 'parameterDescription') paramTypes = (message as protocolMessages.ParameterDescriptionMessage).dataTypeIDs;
      if (message.name === 'rowDescription')
        fields = (message as protocolMessages.RowDescriptionMessage).fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID }));
    }
    const statement = { name, paramTypes, fields };
    this.statements.set(sql, statement);
    return statement;
  }

  /** As PGlite's `query` sends a parameter: by the type Postgres inferred for it, as text. */
  private serializeParam(param: unknown, type: number | undefined): string | null {
    if (param === null || param === undefined) return null;
    const serializer = type === undefined ? undefined : this.pglite.serializers[type];
    return serializer ? (serializer(param) as string) : String(param);
  }

  private parsers(): Record<number, (text: string, typeId?: number) => unknown> {
    this.parsersMemo ??= {
      ...this.pglite.parsers,
      [TIMESTAMP]: utc,
      [TIMESTAMP_ARRAY]: (text: string) => types.arrayParser(text, utc, TIMESTAMP_ARRAY),
    };
    return this.parsersMemo;
  }
}
