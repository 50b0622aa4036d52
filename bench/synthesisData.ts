/**
 * A large synthetic workshop for `npm run bench:synthesis`, written with bulk inserts (multi-row
 * INSERTs of a few thousand rows) straight into the tables — not through the live command path,
 * which would measure the write path instead and take far longer. Texts are composed from a
 * vocabulary of Norwegian planning phrases with a fixed-seed PRNG, so every run gets the same data.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/server/db/database.js';
import type { AssessmentStatus, ItemKindColumn, NoteKindColumn } from '../src/server/db/tables.js';

export interface BenchShape {
  notes: number;
  perspectives: number;
  itemsPerPerspective: number;
  groups: number;
  participantsPerGroup: number;
  starsPerParticipantPerPoster: number;
  assessedShare: number;
}

export const defaultShape: BenchShape = {
  notes: 100_000,
  perspectives: 10,
  itemsPerPerspective: 100,
  groups: 40,
  participantsPerGroup: 6,
  starsPerParticipantPerPoster: 5,
  assessedShare: 0.3,
};

export interface BenchWorkshop {
  workshopId: string;
  plannerId: string;
  counts: { items: number; participants: number; notes: number; withdrawn: number; duplicates: number; generalBox: number; rewordings: number; stars: number; agreements: number; assessed: number };
}

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const perspectiveTitles = [
  'Økonomisk bærekraft',
  'Sosial bærekraft',
  'Klima- og miljømessig bærekraft',
  'Kommunen som organisasjon',
  'Boliger og stedsutvikling',
  'Mobilitet og transport',
  'Oppvekst og utdanning',
  'Helse og omsorg',
  'Natur, landbruk og friluftsliv',
  'Næringsliv og arbeidsplasser',
];

const topics = [
  'boliger for unge og førstegangskjøpere',
  'sosial boligbygging',
  'boligbygging rundt knutepunktene',
  'jordvern og dyrket mark',
  'matproduksjon og lokalt landbruk',
  'kollektivtransport mellom tettstedene',
  'trygge skoleveier',
  'sykkelveier og gange',
  'grønnstruktur i sentrum',
  'klimatilpasning og overvann',
  'naturmangfold og myr',
  'frivilligheten og lag og foreninger',
  'kulturtilbud for ungdom',
  'eldre som vil bo hjemme lenger',
  'barnehageplasser nær hjemmet',
  'folkehelse og friluftsliv',
  'universell utforming',
  'energieffektive bygg',
  'arbeidsplasser og næringsareal',
  'digitale tjenester for innbyggerne',
  'samarbeid med nabokommunene',
  'fortetting med kvalitet',
  'medvirkning fra barn og unge',
  'levende sentrum og handel',
];

const itemOpenings = [
  'Kommunen skal legge til rette for',
  'Vi skal styrke',
  'Innen 2040 skal vi ha god',
  'Planleggingen skal prioritere',
  'Kommunen skal samarbeide om',
  'Vi skal sikre',
];
const itemEndings = ['i hele kommunen.', 'for alle innbyggere.', 'gjennom langsiktig arealplanlegging.', 'i samarbeid med næringslivet.', 'med mål som kan måles.'];

const noteOpenings = [
  'Mangler noe om',
  'Viktig å prioritere',
  'Her må vi tydeliggjøre',
  'Savner et eget delmål om',
  'Helt enig, men legg til',
  'Formuleringen er for vag når det gjelder',
  'Bør ses i sammenheng med',
  'Flere i gruppen ønsker mer vekt på',
  'Uenig i at vi skal nedprioritere',
  'Husk',
];
const noteEndings = [
  '.',
  ', særlig i ytre deler av kommunen.',
  ' – også for dem som leier bolig.',
  '. Det må måles og følges opp.',
  ', og det koster penger vi må sette av.',
  ' før 2030.',
  '. Helt enig med resten av gruppen.',
  ', slik at boligene blir rimeligere.',
  '. Se også strategien om arealbruk.',
];
const questions = ['Hva betyr dette i praksis for', 'Hvem har ansvaret for', 'Hvordan skal vi måle'];
const facilitatorNotes = ['Gruppen var uenig om', 'Slapp opp for stjerner før de kom til', 'Mye diskusjon om', 'Flere lapper handlet om'];
const justifications = [
  'Innspillet er tatt inn i revidert ordlyd.',
  'Ivaretas gjennom arealstrategien for knutepunktene.',
  'Delvis ivaretatt; følges opp i handlingsdelen.',
  'Ligger utenfor samfunnsdelens tema; sendes videre til sektorplanen.',
  'Allerede dekket av delmålet slik det står.',
  'Ikke tatt til følge fordi det bryter med nasjonale føringer for jordvern.',
];
const parties = ['Ap', 'H', 'FrP', 'SV', 'Sp', 'KrF', 'V', 'MDG', 'R', 'INP'];
const committees = ['FSK', 'BKO', 'HMS', 'KMS', 'PKE'];
const names = ['Stein', 'Dina', 'Kari', 'Ola', 'Signe', 'Finn', 'Ingrid', 'Lars', 'Nora', 'Jonas', 'Ragnhild', 'Amir', 'Sofie', 'Per', 'Maja', 'Eirik'];
const statuses: AssessmentStatus[] = ['accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope'];

async function insertInBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Writes the workshop; returns its ids and what was made. */
export async function generateWorkshop(db: Db, shape: BenchShape = defaultShape, seed = 20_40): Promise<BenchWorkshop> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const planId = randomUUID();
  const workshopId = randomUUID();
  const plannerId = randomUUID();
  const facilitatorId = randomUUID();
  const opened = new Date(Date.UTC(2026, 2, 12, 9, 0, 0));

  await db
    .insertInto('users')
    .values([
      { id: plannerId, email: `${plannerId}@bench.invalid`, name: 'Planlegger', role: 'planner', password_hash: 'x' },
      { id: facilitatorId, email: `${facilitatorId}@bench.invalid`, name: 'Fasilitator', role: 'facilitator', password_hash: 'x' },
    ])
    .execute();
  await db.insertInto('plans').values({ id: planId, title: 'Kommuneplanens samfunnsdel 2026–2040', municipality: 'Benchmark kommune', horizon_year: 2040 }).execute();

  // 10 perspectives × 100 items: 1 hovedmål, 24 delmål, 60 strategier, 15 arealstrategier.
  const perspectives: Array<{ id: string; goalsPoster: string; strategiesPoster: string; goalItems: string[]; strategyItems: string[] }> = [];
  const items: Array<{ id: string; perspective_id: string; kind: ItemKindColumn; position: number; text: string }> = [];
  const itemText = new Map<string, string>();
  for (let p = 0; p < shape.perspectives; p++) {
    const id = randomUUID();
    const entry = { id, goalsPoster: randomUUID(), strategiesPoster: randomUUID(), goalItems: [] as string[], strategyItems: [] as string[] };
    const mix: Array<[ItemKindColumn, number]> = [
      ['main_goal', 1],
      ['sub_goal', Math.round(shape.itemsPerPerspective * 0.24)],
      ['land_use_strategy', Math.round(shape.itemsPerPerspective * 0.15)],
    ];
    mix.splice(2, 0, ['strategy', shape.itemsPerPerspective - mix.reduce((sum, [, n]) => sum + n, 0)]);
    for (const [kind, n] of mix) {
      for (let position = 0; position < n; position++) {
        const itemId = randomUUID();
        const text = `${pick(itemOpenings)} ${pick(topics)} ${pick(itemEndings)}`;
        items.push({ id: itemId, perspective_id: id, kind, position, text });
        itemText.set(itemId, text);
        (kind === 'main_goal' || kind === 'sub_goal' ? entry.goalItems : entry.strategyItems).push(itemId);
      }
    }
    perspectives.push(entry);
  }
  await db
    .insertInto('perspectives')
    .values(perspectives.map((p, position) => ({ id: p.id, plan_id: planId, position, title: perspectiveTitles[position % perspectiveTitles.length]! })))
    .execute();
  await insertInBatches(items, 2000, (batch) => db.insertInto('items').values(batch).execute());

  await db
    .insertInto('workshops')
    .values({
      id: workshopId,
      plan_id: planId,
      title: 'Politisk verksted (benchmark)',
      date: '2026-03-12',
      state: 'closed',
      join_code: workshopId.slice(0, 8),
      viewer_token: randomUUID(),
      opened_at: opened,
    })
    .execute();
  await db
    .insertInto('posters')
    .values(
      perspectives.flatMap((p, i) => [
        { id: p.goalsPoster, workshop_id: workshopId, perspective_id: p.id, part: 'goals' as const, position: i * 2, stars_enabled: false },
        { id: p.strategiesPoster, workshop_id: workshopId, perspective_id: p.id, part: 'strategies' as const, position: i * 2 + 1, stars_enabled: true },
      ]),
    )
    .execute();

  const groups = Array.from({ length: shape.groups }, (_, i) => ({ id: randomUUID(), name: `Gruppe ${i + 1}`, position: i }));
  await db
    .insertInto('groups')
    .values(groups.map((g) => ({ ...g, workshop_id: workshopId, facilitator_user_id: facilitatorId, timer_ends_at: null })))
    .execute();
  const participants = groups.flatMap((group) =>
    Array.from({ length: shape.participantsPerGroup }, () => ({
      id: randomUUID(),
      workshop_id: workshopId,
      group_id: group.id,
      name: `${pick(names)} ${String.fromCharCode(65 + Math.floor(random() * 26))}.`,
      party: pick(parties),
      committee: pick(committees),
      access_token: randomUUID(),
      anonymised_at: null,
    })),
  );
  await insertInBatches(participants, 2000, (batch) => db.insertInto('participants').values(batch).execute());
  const byGroup = new Map(groups.map((g) => [g.id, participants.filter((p) => p.group_id === g.id)]));

  // Lapper: skewed over items (some items draw far more input), ~5 % in the general box.
  const counts = { items: items.length, participants: participants.length, notes: 0, withdrawn: 0, duplicates: 0, generalBox: 0, rewordings: 0, stars: 0, agreements: 0, assessed: 0 };
  const windowMs = 3 * 3600_000;
  const noteIds: string[] = [];
  let notes: Array<Record<string, unknown>> = [];
  let noteItems: Array<{ note_id: string; item_id: string }> = [];
  let agreements: Array<{ note_id: string; participant_id: string }> = [];
  let assessments: Array<Record<string, unknown>> = [];
  const flush = async () => {
    if (notes.length) await db.insertInto('notes').values(notes as never).execute();
    if (noteItems.length) await db.insertInto('note_items').values(noteItems).execute();
    if (agreements.length) await db.insertInto('agreements').values(agreements).onConflict((oc) => oc.doNothing()).execute();
    if (assessments.length) await db.insertInto('assessments').values(assessments as never).execute();
    notes = [];
    noteItems = [];
    agreements = [];
    assessments = [];
  };

  for (let n = 0; n < shape.notes; n++) {
    const perspective = perspectives[Math.floor(random() ** 1.3 * perspectives.length)]!;
    const onGoals = random() < 0.45;
    const poster = onGoals ? perspective.goalsPoster : perspective.strategiesPoster;
    const candidates = onGoals ? perspective.goalItems : perspective.strategyItems;
    const general = random() < 0.05;
    const item = general ? null : candidates[Math.floor(random() ** 2 * candidates.length)]!;
    const group = pick(groups);
    const author = pick(byGroup.get(group.id)!);
    const roll = random();
    let kind: NoteKindColumn = 'comment';
    let text = `${pick(noteOpenings)} ${pick(topics)}${pick(noteEndings)}`;
    if (roll < 0.1 && item) {
      kind = 'rewording';
      const words = itemText.get(item)!.split(' ');
      words[Math.floor(random() * words.length)] = pick(['bærekraftig', 'trygg', 'god', 'tilstrekkelig', 'variert']);
      text = words.join(' ');
      counts.rewordings++;
    } else if (roll < 0.14) {
      kind = 'new_item';
      text = `Nytt ${onGoals ? 'delmål' : 'strategi'}: ${pick(itemOpenings)} ${pick(topics)} ${pick(itemEndings)}`;
    } else if (roll < 0.17) {
      kind = 'question';
      text = `${pick(questions)} ${pick(topics)}?`;
    } else if (roll < 0.19) {
      kind = 'facilitator_note';
      text = `${pick(facilitatorNotes)} ${pick(topics)}.`;
    }
    const id = randomUUID();
    const createdAt = new Date(opened.getTime() + Math.floor(random() * windowMs));
    const withdrawn = random() < 0.01;
    // Copies of an earlier lapp, as the paper workshop had; some are merged by a planner.
    const copyOf = !withdrawn && noteIds.length > 0 && random() < 0.005 ? noteIds[Math.floor(random() * noteIds.length)]! : null;
    notes.push({
      id,
      workshop_id: workshopId,
      poster_id: poster,
      group_id: group.id,
      author_participant_id: kind === 'facilitator_note' ? null : author.id,
      author_user_id: kind === 'facilitator_note' ? facilitatorId : null,
      author_name: null,
      written_by_user_id: null,
      kind,
      text,
      proposed_item_kind: kind === 'new_item' ? (onGoals ? 'sub_goal' : 'strategy') : null,
      reply_to_note_id: null,
      duplicate_of: copyOf,
      placed: random() > 0.02,
      withdrawn_at: withdrawn ? new Date(createdAt.getTime() + 60_000) : null,
      created_at: createdAt,
      updated_at: createdAt,
    });
    noteIds.push(id);
    counts.notes++;
    if (withdrawn) counts.withdrawn++;
    if (copyOf) counts.duplicates++;
    if (item) noteItems.push({ note_id: id, item_id: item });
    else counts.generalBox++;
    if (random() < 0.2) {
      const members = byGroup.get(group.id)!;
      const agreeing = 1 + Math.floor(random() * 3);
      for (let a = 0; a < agreeing; a++) {
        const member = members[(members.indexOf(author) + 1 + a) % members.length]!;
        if (member.id !== author.id) {
          agreements.push({ note_id: id, participant_id: member.id });
          counts.agreements++;
        }
      }
    }
    if (!withdrawn && !copyOf && random() < shape.assessedShare) {
      assessments.push({ note_id: id, workshop_id: workshopId, status: pick(statuses), justification: pick(justifications), assessed_by: plannerId });
      counts.assessed++;
    }
    if (notes.length === 2000) await flush();
  }
  await flush();

  // Stars: every participant spends the budget on each strategies poster, favouring early strategies.
  const stars: Array<Record<string, unknown>> = [];
  for (const participant of participants) {
    for (const perspective of perspectives) {
      const chosen = new Set<string>();
      while (chosen.size < shape.starsPerParticipantPerPoster) chosen.add(perspective.strategyItems[Math.floor(random() ** 1.5 * perspective.strategyItems.length)]!);
      for (const itemId of chosen) {
        stars.push({ id: randomUUID(), workshop_id: workshopId, poster_id: perspective.strategiesPoster, group_id: participant.group_id, participant_id: participant.id, item_id: itemId });
      }
    }
  }
  counts.stars = stars.length;
  await insertInBatches(stars, 5000, (batch) => db.insertInto('stars').values(batch as never).execute());
  await db.updateTable('workshops').set({ last_seq: counts.notes + counts.stars }).where('id', '=', workshopId).execute();
  return { workshopId, plannerId, counts };
}
