import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { configFromEnv } from '../server/config.js';
import { closeNow, createConsultation } from '../server/consultations/consultations.service.js';
import { openConfiguredDatabase, type Command } from './command.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date from the command line: YYYY-MM-DD is the start of that day in Norway, a full ISO time as given. */
function instant(value: string, endOfDay: boolean): string | null {
  if (DATE.test(value)) {
    const day = new Date(`${value}T${endOfDay ? '23:59:59' : '00:00:00'}+01:00`);
    return Number.isNaN(day.getTime()) ? null : day.toISOString();
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

const openOptions = z.object({
  title: z.string({ message: '--title is required' }).min(1, { message: '--title is required' }),
  closes: z.string().optional(),
  opens: z.string().optional(),
  introduction: z.string().optional(),
  publication: z.enum(['none', 'anonymous', 'named'], { message: '--publication must be none, anonymous or named' }).optional(),
});

const open: Command = {
  summary: 'Open a public consultation (høring) on a plan',
  help: `Usage: innspill consultation open PLAN_ID --title T [--closes YYYY-MM-DD] [--opens YYYY-MM-DD]
                                  [--introduction TEXT] [--publication none|anonymous|named]

Opens a consultation on the plan's text as it is now (later revisions do not change it). It opens
now unless --opens says otherwise and closes at the end of --closes (default: six weeks after the
opening). Prints the public address and, as its last line, the consultation id.`,
  options: { title: { type: 'string' }, closes: { type: 'string' }, opens: { type: 'string' }, introduction: { type: 'string' }, publication: { type: 'string' } },
  async run(values, positionals) {
    const planId = positionals[0];
    if (!planId || !z.uuid().safeParse(planId).success || positionals.length > 1) {
      console.error('Name the plan by its id: innspill consultation open PLAN_ID --title T --closes YYYY-MM-DD');
      return 1;
    }
    const parsed = openOptions.safeParse(values);
    if (!parsed.success) {
      console.error(parsed.error.issues.map((issue) => issue.message).join('\n'));
      return 1;
    }
    const options = parsed.data;
    const opensAt = options.opens ? instant(options.opens, false) : undefined;
    const closesAt = options.closes ? instant(options.closes, true) : undefined;
    if (opensAt === null || closesAt === null) {
      console.error('--opens and --closes take a date (YYYY-MM-DD) or an ISO time');
      return 1;
    }
    const config = configFromEnv();
    const database = await openConfiguredDatabase(config);
    try {
      const consultation = await createConsultation(
        planId,
        { title: options.title, introduction: options.introduction ?? '', opensAt, closesAt, publication: options.publication ?? 'named' },
        null,
        database.db,
        { publicUrl: config.publicUrl },
      );
      console.log(`Høringen «${consultation.title}» er åpen fra ${consultation.opensAt} til ${consultation.closesAt}.`);
      console.log(`Offentlig adresse: ${consultation.publicUrl}`);
      console.log(consultation.id);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(error.code === 'not_found' ? `No plan with id ${planId} in this database.` : error.message);
      return 1;
    } finally {
      await database.close();
    }
  },
};

const close: Command = {
  summary: 'Close a consultation now',
  help: `Usage: innspill consultation close CONSULTATION_ID

Closes the consultation now: no more input is taken. A consultation already closed stays as it is.`,
  options: {},
  async run(_values, positionals) {
    const id = positionals[0];
    if (!id || !z.uuid().safeParse(id).success) {
      console.error('Name the consultation by its id: innspill consultation close CONSULTATION_ID');
      return 1;
    }
    const config = configFromEnv();
    const database = await openConfiguredDatabase(config);
    try {
      const consultation = await closeNow(id, database.db, { publicUrl: config.publicUrl });
      console.log(`Høringen «${consultation.title}» er stengt (${consultation.closesAt}).`);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(error.code === 'not_found' ? `No consultation with id ${id} in this database.` : error.message);
      return 1;
    } finally {
      await database.close();
    }
  },
};

export const consultationCommands: Record<string, Command> = { 'consultation open': open, 'consultation close': close };
