/**
 * Rules every client-supplied string obeys before it reaches the store, shared by REST and
 * sockets. Postgres text cannot hold a NUL character (it fails with 22021, which would surface
 * as a 500); refusing it in validation makes it the client's 422 / `validation_error`.
 */
import { LIMITS } from '@support-chat/protocol';
import { z } from 'zod';

const NO_NUL = /^[^\u0000]*$/;

/** A string with no NUL character; chain trims and bounds on the result as on `z.string()`. */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).regex(NO_NUL, 'must not contain NUL characters');

/** A seq a client resumes from: a larger one than Postgres `integer` holds would fail in the database, not here. */
export const seq = () => z.number().int().min(0).max(LIMITS.seqMax);
