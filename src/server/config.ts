import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Public origin used in printed links; defaults to http://localhost:PORT. */
  publicUrl: string;
  /** Serve cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Writes a participant or user may make per 10 seconds ([LIVE-9]); benchmarks raise it. */
  writesPer10Seconds: number;
}

/** Reads the configuration from the environment; every value has a default that works on a laptop. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const host = env.HOST ?? '0.0.0.0';
  const publicUrl = (env.INNSPILL_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    dataDir: path.resolve(env.INNSPILL_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    writesPer10Seconds: positiveInteger(env.INNSPILL_WRITES_PER_10S, 30),
  };
}

function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`Expected a positive whole number, got "${value}"`);
  return parsed;
}
