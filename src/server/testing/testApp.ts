import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../app.js';
import { createUser, startSession } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/auth.routes.js';
import { configFromEnv, type ServerConfig } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createWorkshopFixture, type WorkshopFixture } from './workshopFixture.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (as in CI). */
export const testDatabaseKinds: DatabaseKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server that is dropped on close. */
export async function openTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    return handle;
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `innspill_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export interface TestUser {
  id: string;
  /** Headers that authenticate a request as this user, CSRF token included. */
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** Where this app stores consultation attachments. */
  attachmentsDir: string;
  /** Creates an account and a session for it. */
  user(role: 'planner' | 'facilitator', name?: string): Promise<TestUser>;
  close(): Promise<void>;
}

export async function createTestApp(kind: DatabaseKind, overrides: Partial<ServerConfig> & Pick<AppOptions, 'limits'> = {}): Promise<TestApp> {
  const database = await openTestDatabase(kind);
  // Each app its own attachment folder, removed on close.
  const attachmentsDir = mkdtempSync(path.join(os.tmpdir(), 'innspill-attachments-'));
  // Links in answers stay predictable whatever network the test machine is on.
  const { limits, ...configOverrides } = overrides;
  const config = { ...configFromEnv({ HOST: '127.0.0.1' }), dataDir: '', attachmentsDir, ...configOverrides };
  const app = await buildApp({ database, config, limits });
  await app.ready();
  return {
    app,
    database,
    attachmentsDir: config.attachmentsDir,
    async user(role, name = role === 'planner' ? 'Planlegger' : 'Fasilitator') {
      const user = await createUser(database.db, {
        email: `${randomUUID()}@example.no`,
        name,
        role,
        password: 'correct horse battery',
      });
      const { session, token } = await startSession(database.db, user);
      return {
        id: user.id,
        headers: { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrfToken },
      };
    },
    async close() {
      await app.close();
      await database.close();
      rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}

/** The setup most HTTP tests of a workshop start from: an app, a planner's session and a workshop fixture. */
export async function createAppWithWorkshop(kind: DatabaseKind): Promise<{ t: TestApp; planner: TestUser; fixture: WorkshopFixture }> {
  const t = await createTestApp(kind);
  return { t, planner: await t.user('planner'), fixture: await createWorkshopFixture(t.database.db) };
}

/** Parses a JSON answer, failing loudly with the body when the status is not the expected one. */
export function expectStatus<T = unknown>(response: LightMyRequestResponse, status: number): T {
  if (response.statusCode !== status) {
    throw new Error(`Expected ${status}, got ${response.statusCode}: ${response.body.slice(0, 500)}`);
  }
  return (response.body ? response.json() : undefined) as T;
}

/** Starts the app listening on a free port of 127.0.0.1, for tests that open real sockets; its base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}
