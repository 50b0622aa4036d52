import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { LIVE_CHANNEL } from './live.queries.js';

/** How long to wait before listening again after PostgreSQL dropped the connection. */
const RETRY_MS = 1000;

/** What a listener tells: a workshop's log reached `seq`, or notices may have been missed. */
export interface AppendedHandler {
  appended(workshopId: string, seq: number): void;
  /** Listening again after a dropped connection: whatever was appended meanwhile was not told. */
  missedSome(): void;
}

/**
 * [LIVE-22] Listens, on a connection of its own, for the appends of every process on this
 * PostgreSQL (`pg_notify` in `live.queries.ts`), so writes made elsewhere (the CLI) reach this
 * process's devices. Resolves once it listens; the returned function stops it.
 */
export async function listenForAppends(connectionString: string, handler: AppendedHandler, log: FastifyBaseLogger): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  const again = () => {
    client = null;
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void open().then(
        () => handler.missedSome(),
        (error: unknown) => {
          log.warn({ err: error }, 'could not listen for appends again; retrying');
          again();
        },
      );
    }, RETRY_MS);
    retry.unref();
  };

  const open = async () => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      const [workshopId, seq] = (message.payload ?? '').split(':');
      if (message.channel === LIVE_CHANNEL && workshopId && Number(seq) > 0) handler.appended(workshopId, Number(seq));
    });
    next.on('error', (error) => log.warn({ err: error }, 'the connection listening for appends failed'));
    next.on('end', () => {
      if (client === next) again();
    });
    await next.connect();
    await next.query(`listen ${LIVE_CHANNEL}`);
    if (stopped) return void (await next.end());
    client = next;
  };

  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const last = client;
    client = null;
    await last?.end().catch(() => undefined);
  };
}
