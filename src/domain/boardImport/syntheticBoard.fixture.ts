/**
 * A small whiteboard export of an invented plan (Nordvik kommune, two perspectives, two groups),
 * laid out like the Bærum export but with other texts, so tests can show the template is
 * discovered from repetition rather than known in advance.
 */

export interface SyntheticPoster {
  title?: string[];
  mainGoal: string[];
  partLine: string;
  /** Items as [label, lines]; an empty line in `lines` is a blank line. */
  items: [string, string[]][];
  prompts: string[];
  instructions: string[];
}

export interface SyntheticCopy {
  lapper: string[][];
  notes?: string[];
  group?: { label: string; roster: string[] };
  /** Replace one template line in this copy only (a typo). */
  typo?: { from: string; to: string };
}

export function renderPoster(poster: SyntheticPoster, copy: SyntheticCopy, withTitle: boolean): string[] {
  const out: string[] = [];
  if (withTitle && poster.title) out.push(...poster.title, '', '', '');
  out.push(...poster.mainGoal, '');
  for (const [label, lines] of poster.items) out.push(label, ...lines, '');
  out.push(poster.partLine, '');
  for (const prompt of poster.prompts) out.push(prompt, '');
  out.push(...poster.instructions, '');
  const template = copy.typo ? out.map((line) => (line === copy.typo!.from ? copy.typo!.to : line)) : out;
  const body: string[] = [];
  for (const lapp of copy.lapper) body.push(...lapp, '');
  if (copy.notes) body.push('Notater:', ...copy.notes, '');
  if (copy.group) body.push(copy.group.label, '', ...copy.group.roster, '', '');
  return [...template, ...body];
}

const instructionsDel1 = [
  'Les gjennom forslagene til delmål og vurder om de dekker det dere har sagt før. Skriv på en lapp hva du vil ',
  'endre, og fest den ved delmålet. Mangler det et delmål, eller har du en generell kommentar, legger du ',
  '',
  'lappen i feltet nederst.',
];
const instructionsDel2 = [
  'Les gjennom strategiene og sett en stjerne ved de tre du mener er viktigst. Mangler det en strategi, ',
  'skriver du den på en lapp og legger den i feltet nederst.',
];

export const nordvikPosters: Record<'aGoals' | 'aStrategies' | 'bGoals' | 'bStrategies', SyntheticPoster> = {
  aGoals: {
    title: ['Delmål for ', 'levende lokalsamfunn'],
    mainGoal: ['Hovedmål: I Nordvik skal alle ha et trygt og levende lokal-', 'samfunn'],
    partLine: 'Del 1: Delmål for levende lokalsamfunn',
    items: [
      ['Delmål 1', ['Nordvik har gode ', 'møteplasser i alle ', '', 'grender']],
      ['Delmål 2', ['Alle barn får en ', '', 'god start på livet']],
      ['Delmål 3', ['Eldre kan bo hjemme ', 'lenger med velferds-', '', 'teknologi']],
    ],
    prompts: ['Mangler det et delmål? Skriv det på en lapp her.'],
    instructions: instructionsDel1,
  },
  aStrategies: {
    title: ['Strategier for ', 'levende lokalsamfunn'],
    mainGoal: ['Hovedmål: I Nordvik skal alle ha et trygt og levende lokal-', 'samfunn'],
    partLine: 'Del 2: Strategier og arealstrategier for levende lokalsamfunn',
    items: [
      ['Strategi 1', ['Styrke frivilligheten og ', '', 'lag og foreninger']],
      ['Strategi 2', ['Bygge trygge gang- ', 'og sykkelveier mellom ', '', 'grendene']],
      ['Strategi 2', ['Samarbeide med nabo-', '', 'kommunene om tjenester']],
      ['Arealstrategi 1', ['Samle ny boligbygging ', 'rundt sentrum']],
    ],
    prompts: ['Hvilke strategier mangler? Legg lappen her.'],
    instructions: instructionsDel2,
  },
  bGoals: {
    title: ['Delmål for ', 'grønn omstilling'],
    mainGoal: ['Hovedmål: Nordvik er en foregangskommune ', 'for grønn omstilling'],
    partLine: 'Del 1: Delmål for grønn omstilling',
    items: [
      ['Delmål 1', ['Nordvik kutter ', 'utslippene med ', '', '60 prosent innen 2035']],
      ['Delmål 3', ['Naturen i ', 'Nordvik blir tatt ', '', 'vare på']],
    ],
    prompts: ['Mangler det et delmål? Skriv det på en lapp her.'],
    instructions: instructionsDel1,
  },
  bStrategies: {
    title: ['Strategier for ', 'grønn omstilling'],
    mainGoal: ['Hovedmål: Nordvik er en foregangskommune ', 'for grønn omstilling'],
    partLine: 'Del 2: Strategier og arealstrategier for grønn omstilling',
    items: [
      ['Strategi 1', ['Elektrifisere ', 'fergene og ', '', 'kommunens bilpark']],
      ['Strategi 2', ['Ta i bruk ', 'sirkulære innkjøp']],
      ['Arealstrategi 1', ['Verne myr og ', 'strandsone mot ', '', 'nedbygging']],
      ['Arealstrategi 2', ['Sikre 100 meter ', 'byggegrense langs ', '', 'vassdrag']],
    ],
    prompts: ['Hvilke strategier mangler? Legg lappen her.'],
    instructions: instructionsDel2,
  },
};

const gruppe1 = {
  label: 'Gruppe 1',
  roster: ['Kari Nordmann', 'Ap', 'Formannskapet', '', 'Ola', 'H', 'PLAN', '', 'Per', 'Senter-', '', 'partiet'],
};
const gruppe2 = { label: 'Gruppe 2', roster: ['Lise', 'SV', 'OK', '', 'Jon', 'KrF'] };

/** Nordvik's export: every poster once per group, group 2's copy of B/Del 1 without a label. */
export function nordvikExport(): string {
  const copies: [SyntheticPoster, SyntheticCopy][] = [
    [
      nordvikPosters.aGoals,
      {
        lapper: [
          ['Delmål 1: også ', 'digitale ', '', 'møteplasser'],
          ['Ola', 'Savner et delmål ', 'om kultur'],
          ['Hva betyr ', '"god start"?'],
        ],
        notes: ['Gruppa var opptatt av møteplasser i grendene og av kultur for unge.'],
        group: gruppe1,
      },
    ],
    [
      nordvikPosters.aGoals,
      {
        lapper: [['Delmål 3: alternativ formulering: ', 'eldre skal kunne ', '', 'bo trygt hjemme']],
        group: gruppe2,
      },
    ],
    [
      nordvikPosters.aStrategies,
      {
        lapper: [['2 3 1'], ['Strategi 2: bør ', 'også gjelde ', '', 'skoleveier'], ['Kari Nordmann'], ['Mer kollektiv-', 'trafikk']],
        group: gruppe1,
      },
    ],
    [nordvikPosters.aStrategies, { lapper: [['3 1Viktigst av ', 'alt'], ['Ny strategi: ', 'bredbånd til alle']], group: gruppe2 }],
    [
      nordvikPosters.bGoals,
      { lapper: [['Delmål 3 er ', 'for svakt'], ['Lise'], ['For lite ', 'ambisiøst?']], group: gruppe1 },
    ],
    [nordvikPosters.bGoals, { lapper: [['Hovedmålet ', 'er bra']], typo: { from: 'Nordvik blir tatt ', to: 'Nordvik bli tatt ' } }],
    [
      nordvikPosters.bStrategies,
      { lapper: [['Arealstrategi 2', 'Hvorfor bare ', '100 meter?']], notes: ['Lite tid på denne plakaten.'], group: gruppe1 },
    ],
    [nordvikPosters.bStrategies, { lapper: [['Enig i ', 'arealstrategi 1']], group: gruppe2 }],
  ];
  const seen = new Set<SyntheticPoster>();
  const lines = copies.flatMap(([poster, copy]) => {
    const first = !seen.has(poster);
    seen.add(poster);
    return renderPoster(poster, copy, first);
  });
  return lines.join('\n');
}
