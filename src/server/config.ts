import os from 'node:os';
import path from 'node:path';
import { metricsAccessFromEnv, type MetricsAccess } from './metrics.js';
import { oidcConfigFromEnv, type OidcConfig } from './auth/oidc.config.js';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Public origin used in printed links and QR codes. */
  publicUrl: string;
  /** Where publicUrl came from: INNSPILL_PUBLIC_URL, this machine's LAN address, or localhost (no network found). */
  publicUrlSource: 'env' | 'lan' | 'localhost';
  /** Serve cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Writes a participant or user may make per 10 seconds ([LIVE-9]); benchmarks raise it. */
  writesPer10Seconds: number;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): false (default: none,
   * the socket's address counts), a number of hops, or the proxies' addresses/CIDR ranges ([SAFE-4]).
   */
  trustProxy: false | number | string[];
  /** Open live sockets per person, per client address and per workshop in one process ([SAFE-5]). */
  socketCaps: { perPerson: number; perAddress: number; perWorkshop: number };
  /** Who may read /metrics ([OPS-3]). */
  metrics: MetricsAccess;
  /** Sign-in through the municipality's identity provider, when OIDC_ISSUER is set ([AUTH-1]). */
  oidc?: OidcConfig;
  /** E-mail and password sign-in; INNSPILL_LOCAL_LOGIN=off leaves only the identity provider ([AUTH-4]). */
  localLogin: boolean;
  /** How long a shutdown waits for running commands before closing the sockets ([OPS-4]). */
  shutdownGraceMs: number;
  /**
   * Where consultation attachments are stored (docs/decisions/011-consultation-attachments.md):
   * INNSPILL_ATTACHMENTS_DIR, else `attachments` in the data folder. Several processes must share it.
   */
  attachmentsDir: string;
  /** Consultation submissions one client address may send per hour ([CONS-7]); benchmarks raise it. */
  submissionsPerHour: number;
  /** SMTP server for receipts and notices (`smtp://user:pass@host:587`); none: no e-mail ([CONS-16]). */
  smtpUrl?: string;
  /** The From address of those e-mails. */
  mailFrom: string;
}

type NetworkInterfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * The first non-internal IPv4 address of this machine: what a phone on the same network (the
 * meeting room's Wi-Fi) reaches the server at. Undefined on a machine without a network.
 */
export function lanAddress(interfaces: NetworkInterfaces = os.networkInterfaces()): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return undefined;
}

const listensOnAllInterfaces = (host: string) => host === '0.0.0.0' || host === '::';

/**
 * Reads the configuration from the environment; every value has a default that works on a laptop.
 * Without INNSPILL_PUBLIC_URL, printed links and QR codes use the LAN address when the server
 * listens on every interface, so the phones in the room reach it; `localhost` reaches nothing there.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, interfaces?: NetworkInterfaces): ServerConfig {
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const host = env.HOST ?? '0.0.0.0';
  const lan = env.INNSPILL_PUBLIC_URL || !listensOnAllInterfaces(host) ? undefined : lanAddress(interfaces);
  const publicUrlSource = env.INNSPILL_PUBLIC_URL ? 'env' : lan ? 'lan' : 'localhost';
  const publicUrl = (env.INNSPILL_PUBLIC_URL || `http://${lan ?? 'localhost'}:${port}`).replace(/\/$/, '');
  const dataDir = path.resolve(env.INNSPILL_DATA_DIR ?? './data');
  return {
    port,
    host,
    dataDir,
    attachmentsDir: path.resolve(env.INNSPILL_ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')),
    submissionsPerHour: positiveInteger(env.INNSPILL_SUBMISSIONS_PER_HOUR, 20),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.INNSPILL_MAIL_FROM || 'innspill@localhost',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    publicUrl,
    publicUrlSource,
    secureCookies: publicUrl.startsWith('https://'),
    writesPer10Seconds: positiveInteger(env.INNSPILL_WRITES_PER_10S, 30),
    trustProxy: trustProxyFrom(env.INNSPILL_TRUST_PROXY),
    socketCaps: {
      perPerson: positiveInteger(env.INNSPILL_SOCKETS_PER_PERSON, 20),
      perAddress: positiveInteger(env.INNSPILL_SOCKETS_PER_ADDRESS, 500),
      perWorkshop: positiveInteger(env.INNSPILL_SOCKETS_PER_WORKSHOP, 2000),
    },
    metrics: metricsAccessFromEnv(env),
    oidc: oidcConfigFromEnv(env, publicUrl),
    localLogin: !['off', 'false', '0', 'no'].includes((env.INNSPILL_LOCAL_LOGIN ?? '').trim().toLowerCase()),
    shutdownGraceMs: positiveInteger(env.INNSPILL_SHUTDOWN_GRACE_MS, 10_000),
  };
}

/** INNSPILL_TRUST_PROXY: empty or "false" trusts nobody; "1" trusts one hop; "10.0.0.1,10.1.0.0/16" those proxies. */
export function trustProxyFrom(value: string | undefined): false | number | string[] {
  const raw = (value ?? '').trim();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number.parseInt(raw, 10);
  const addresses = raw.split(',').map((part) => part.trim()).filter(Boolean);
  if (addresses.some((address) => !/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(address))) {
    throw new Error(`INNSPILL_TRUST_PROXY must be a number of hops or proxy addresses separated by commas, got "${raw}"`);
  }
  return addresses;
}

function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`Expected a positive whole number, got "${value}"`);
  return parsed;
}

/**
 * What `innspill serve` prints once it listens: where to open it on this machine and, for the
 * room, the address phones and printed QR codes use, with how to change it.
 */
export function startBanner(config: ServerConfig, port: number, database: string): string[] {
  const withPort = (url: string) => url.replace(`:${config.port}`, `:${port}`);
  const lines = [`Innspill is running at http://localhost:${port}  (database: ${database})`];
  if (config.publicUrlSource === 'env') {
    lines.push(`Links and QR codes use ${config.publicUrl} (INNSPILL_PUBLIC_URL)`);
  } else if (config.publicUrlSource === 'lan') {
    lines.push(`Phones on this network join at ${withPort(config.publicUrl)} (links and QR codes use it)`);
    lines.push('  Reached at another address (a domain, HTTPS)? Set INNSPILL_PUBLIC_URL=https://innspill.example.no');
  } else {
    lines.push('No network address found: links and QR codes point to localhost, which phones cannot reach.');
    lines.push('  Set INNSPILL_PUBLIC_URL=http://<this machine\'s address>:' + port + ' (or your HTTPS address) and restart.');
  }
  return lines;
}
