/**
 * The floor servers' one table, shaped like the product's Message row (uuid key, the
 * idempotency key unique per conversation), so the floor's INSERT maintains comparable indexes.
 * Pool of 20 connections, as the product's.
 */
import { serverRequire } from './server-require.mjs';

const pg = serverRequire('pg');

export async function openFloorTable(databaseUrl) {
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  await pool.query(`CREATE TABLE IF NOT EXISTS floor_message (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    conversation_id text NOT NULL,
    visitor_id text NOT NULL,
    client_message_id text NOT NULL,
    text text NOT NULL,
    UNIQUE (conversation_id, client_message_id)
  )`);
  return { pool };
}
