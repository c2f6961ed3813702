/**
 * The floor for the REST channel (issue 9): bare Koa with a JSON body parser whose
 * `POST /api/messages/` answers after ONE Postgres INSERT. Plain `node`, like the socket floor.
 * Prints `FLOOR_READY http://127.0.0.1:<port>` once listening.
 */
import { randomUUID } from 'node:crypto';
import { openFloorTable } from './floor-table.mjs';
import { serverRequire } from './server-require.mjs';

const Koa = serverRequire('koa');
const { bodyParser } = serverRequire('@koa/bodyparser');
const { pool } = await openFloorTable(process.env.DATABASE_URL);

const app = new Koa();
app.use(bodyParser());
app.use(async (ctx) => {
  if (ctx.method !== 'POST' || !ctx.path.startsWith('/api/messages')) {
    ctx.status = 404;
    return;
  }
  const body = ctx.request.body ?? {};
  const { rows } = await pool.query(
    'INSERT INTO floor_message (conversation_id, visitor_id, client_message_id, text) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [String(body.client_id ?? ''), String(body.client_id ?? ''), String(body.client_message_id ?? randomUUID()), String(body.content ?? '')],
  );
  ctx.body = { message_id: rows[0].id, conversation_id: String(body.client_id ?? ''), created_at: rows[0].created_at };
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`FLOOR_READY http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
