import { z } from 'zod';
import { buildApp } from '../server/app.js';
import { invitationUrl } from '../server/auth/auth.routes.js';
import { createInvitation, createUser, setupTokenIfEmpty } from '../server/auth/auth.service.js';
import { configFromEnv, startBanner } from '../server/config.js';
import { loggerOptions } from '../server/http/logging.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { Drain } from '../server/shutdown.js';
import { parseExportArgs, writeExport } from '../server/reports/exportFile.js';
import { openConfiguredDatabase, openOwnedDatabase, type Command } from './command.js';
import { DEMO_TITLE, importCommands, loadDemoIfEmpty } from './importCommands.js';
import { consultationCommands } from './consultationCommands.js';
import { placeCommands } from './placeCommands.js';
import { backupCommands } from './backupCommands.js';

export { openConfiguredDatabase, type Command } from './command.js';

const serve: Command = {
  summary: 'Start the server (migrates the database first)',
  help: `Usage: innspill serve [--port N] [--no-demo]

Starts Innspill on PORT (default 3000) with embedded PGlite in INNSPILL_DATA_DIR (default ./data),
or PostgreSQL when DATABASE_URL is set. On an empty database it prints a one-time link to create
the first planner. On an empty embedded database it loads the Bærum demo workshop unless --no-demo.`,
  options: { port: { type: 'string' }, 'no-demo': { type: 'boolean' } },
  async run(values) {
    const env = values.port ? { ...process.env, PORT: String(values.port) } : process.env;
    const config = configFromEnv(env);
    const database = await openConfiguredDatabase(config, 'server');
    // A new user on the embedded database gets a real workshop to look at.
    const demoId = database.kind === 'pglite' && !values['no-demo'] ? await loadDemoIfEmpty(database.db) : null;
    let stopping = false;
    const drain = new Drain();
    const stop = async (code: number, graceful = false) => {
      if (stopping) return;
      stopping = true;
      // [OPS-4] New requests get 503 and /readyz fails; running commands commit and answer; then
      // every socket is closed with 1001 so devices reconnect (to another process) and resend.
      if (graceful) {
        const { unfinished } = await drain.start(config.shutdownGraceMs);
        if (unfinished > 0) console.error(`Stopping with ${unfinished} command(s) still running; devices resend them`);
      }
      await app.close().catch(() => {});
      await database.close().catch(() => {});
      process.exit(code);
    };
    const app = await buildApp({
      database,
      config,
      logger: loggerOptions(process.env.LOG_LEVEL ?? 'warn'),
      // A broken embedded database cannot heal in this process: exit for the supervisor ([SAFE-7]).
      onBroken: () => void stop(1),
      drain,
    });
    process.once('SIGINT', () => void stop(0, true));
    process.once('SIGTERM', () => void stop(0, true));
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      // A busy port must not leave a process holding the database open ([SAFE-9]).
      const code = (error as NodeJS.ErrnoException).code;
      console.error(
        code === 'EADDRINUSE'
          ? `Port ${config.port} on ${config.host} is already in use; stop what uses it or start with --port N.`
          : `Could not listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      );
      await stop(1);
      return 1;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
    console.log(`\n${startBanner(config, port, database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL').join('\n')}`);
    if (demoId) console.log(`Loaded the demo workshop "${DEMO_TITLE}" (start without it: innspill serve --no-demo)`);
    const setupToken = await setupTokenIfEmpty(database.db);
    if (setupToken) console.log(`\nNo planner yet. Create the first one here (one-time link):\n  ${invitationUrl(url, setupToken)}\n`);
    return 0;
  },
};

const migrate: Command = {
  summary: 'Bring the database schema up to date',
  help: 'Usage: innspill migrate\n\nRuns the migrations that have not run yet on INNSPILL_DATA_DIR or DATABASE_URL.',
  options: {},
  async run() {
    const database = await openOwnedDatabase(configFromEnv());
    try {
      const ran = await migrateToLatest(database.db);
      console.log(ran.length ? `Ran ${ran.join(', ')}` : 'The database is up to date');
    } finally {
      await database.close();
    }
    return 0;
  },
};

const userAddOptions = z.object({
  email: z.email({ message: '--email must be an e-mail address' }).optional(),
  name: z.string().min(1).optional(),
  role: z.enum(['planner', 'facilitator'], { message: '--role must be planner or facilitator' }).default('planner'),
  'password-stdin': z.boolean().optional(),
});

const userAdd: Command = {
  summary: 'Create an account, or print a one-time link to create one',
  help: `Usage: innspill user add [--email E --name N] [--role planner|facilitator] [--password-stdin]

Without --password-stdin, prints a one-time link (valid 7 days) where the person sets their own
password. With --password-stdin, creates the account directly with the password read from stdin
(needs --email and --name).`,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  },
  async run(values) {
    const parsed = userAddOptions.safeParse(values);
    if (!parsed.success) {
      console.error(parsed.error.issues.map((issue) => issue.message).join('\n'));
      return 1;
    }
    const options = parsed.data;
    const config = configFromEnv();
    const database = await openConfiguredDatabase(config);
    try {
      if (options['password-stdin']) {
        if (!options.email || !options.name) throw new Error('--password-stdin needs --email and --name');
        const password = (await readStdin()).trim();
        if (password.length < 10) throw new Error('The password must have at least 10 characters');
        const user = await createUser(database.db, { email: options.email, name: options.name, role: options.role, password });
        console.log(`Created ${user.role} ${user.name} <${user.email}>`);
        return 0;
      }
      const { token, expiresAt } = await createInvitation(database.db, options);
      console.log(`One-time link for a new ${options.role} (valid until ${expiresAt.toISOString()}):`);
      console.log(invitationUrl(config.publicUrl, token));
      return 0;
    } finally {
      await database.close();
    }
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const exportCommand: Command = {
  summary: 'Write a report (docx, xlsx, csv) or the open-data JSON of a workshop',
  help: `Usage: innspill export docx|xlsx|csv|json WORKSHOP_ID [--out FILE] [--lang nb|nn|en]
       innspill export json --consultation CONSULTATION_ID [--out FILE]
       innspill export docx|xlsx --plan PLAN_ID --out FILE

Writes the report of a workshop, as the planners' download does:
  docx  the report for the political case (Word), per perspective and item
  xlsx  one row per lapp with every field, and stars per item and group
  csv   the same rows as CSV for Norwegian Excel: UTF-8 with BOM, ";" between fields
  json  the open-data export (docs/contracts/workshop-export.schema.json)
With --consultation, json is a consultation's open data (docs/contracts/consultation-export.schema.json).
With --plan, docx and xlsx are the plan's report across all its workshops and consultations: per
item the merknadsbehandling table of every input, and a summary.
docx and xlsx need --out FILE; csv and json print to stdout without it. --lang picks the language
of a report's headings and labels (default: the workshop's language).
Reads INNSPILL_DATA_DIR (default ./data) or DATABASE_URL, as the server does. Party affiliation
is left out when the workshop says so.`,
  options: { out: { type: 'string' }, consultation: { type: 'string' }, plan: { type: 'string' }, lang: { type: 'string' } },
  async run(values, positionals) {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const parsed = parseExportArgs(positionals, text(values.out), { consultation: text(values.consultation), plan: text(values.plan), lang: text(values.lang) });
    if ('error' in parsed) {
      console.error(parsed.error);
      return 1;
    }
    const database = await openConfiguredDatabase(configFromEnv());
    try {
      return await writeExport(database.db, parsed);
    } finally {
      await database.close();
    }
  },
};

export const commands: Record<string, Command> = {
  serve,
  migrate,
  'user add': userAdd,
  ...importCommands,
  ...placeCommands,
  ...consultationCommands,
  export: exportCommand,
  ...backupCommands,
};
