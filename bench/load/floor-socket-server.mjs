/**
 * The floor for the visitor path (issue 9): a bare Socket.IO server, the product's socket.io
 * version, whose `/visitor` namespace acknowledges `message:send` after ONE Postgres INSERT.
 * Plain ESM run by plain `node` (no tsx), so its CPU per message is the library's and the
 * driver's, nothing else. Prints `FLOOR_READY http://127.0.0.1:<port>` once listening.
 *
 *   DATABASE_URL=postgresql://… node bench/load/floor-socket-server.mjs
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { openFloorTable } from './floor-table.mjs';
import { serverRequire } from './server-require.mjs';

const { Server } = serverRequire('socket.io');
const { pool } = await openFloorTable(process.env.DATABASE_URL);

const http = createServer((req, res) => res.writeHead(404).end());
const io = new Server(http, { transports: ['websocket', 'polling'], cors: { origin: true } });

io.of('/visitor').on('connection', (socket) => {
  // One conversation per connection, as the product opens one per visitor.
  const conversationId = randomUUID();
  const visitorId = String(socket.handshake.auth?.visitorId ?? socket.id);
  socket.on('message:send', async (payload, ack) => {
    if (typeof ack !== 'function') return;
    try {
      const { rows } = await pool.query(
        'INSERT INTO floor_message (conversation_id, visitor_id, client_message_id, text) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
        [conversationId, visitorId, String(payload?.clientMessageId ?? ''), String(payload?.text ?? '')],
      );
      const row = rows[0];
      ack({ ok: true, data: { id: row.id, seq: 0, conversationId, createdAt: row.created_at.toISOString(), duplicate: false } });
    } catch (error) {
      ack({ ok: false, error: { code: 'internal_error', message: String(error?.message ?? error) } });
    }
  });
});

http.listen(0, '127.0.0.1', () => {
  console.log(`FLOOR_READY http://127.0.0.1:${http.address().port}`);
});
process.once('SIGTERM', () => {
  io.close();
  void pool.end().finally(() => process.exit(0));
});
