import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BoardImportError, parseBoardText, type ParsedBoard, type ParsedNote } from './boardImport.js';
import { assignNumbers } from './items.js';
import { continuesText, joinBrokenLines, splitIntoLines } from './lines.js';
import { buildNameBook, classifyNote, findMentions, readWriting } from './notes.js';
import { learnRosterVocabulary, readParty, readRoster, splitAtGroupLabel } from './roster.js';
import { nordvikExport, nordvikPosters, renderPoster } from './syntheticBoard.fixture.js';

const seedPath = fileURLToPath(new URL('../../../demo/baerum-2040.txt', import.meta.url));

const lines = (...texts: string[]) => splitIntoLines(texts.join('\n'));

function noteStarting(board: ParsedBoard, posterNumber: number, start: string): ParsedNote {
  const note = board.posters[posterNumber - 1]?.notes.find((n) => n.text.startsWith(start));
  if (!note) throw new Error(`no lapp starting «${start}» on poster ${posterNumber}`);
  return note;
}

describe('the Bærum 2040 seed', () => {
  let board: ParsedBoard;
  beforeAll(() => {
    board = parseBoardText(readFileSync(seedPath, 'utf8'));
  });

  it('finds the four perspectives with their titles and exact hovedmål', () => {
    expect(board.perspectives.map((p) => p.title)).toEqual([
      'Økonomisk bærekraft',
      'Sosial bærekraft',
      'Klima- og miljømessig bærekraft',
      'Bærum som organisasjon',
    ]);
    expect(board.perspectives.map((p) => p.mainGoal)).toEqual([
      'I Bærum har vi varig, inkluderende og bærekraftig økonomisk vekst',
      'I Bærum er det godt å bo og leve for alle',
      'Bærum er ledende i arbeidet for et klima- og miljøvennlig samfunn',
      'Bærum er en handlekraftig og innovativ kommune',
    ]);
  });

  it('counts the items of each kind in each perspective', () => {
    const counts = board.perspectives.map((p) => ({
      sub_goal: p.items.filter((i) => i.kind === 'sub_goal').length,
      strategy: p.items.filter((i) => i.kind === 'strategy').length,
      land_use_strategy: p.items.filter((i) => i.kind === 'land_use_strategy').length,
    }));
    expect(counts).toEqual([
      { sub_goal: 4, strategy: 7, land_use_strategy: 5 },
      { sub_goal: 4, strategy: 9, land_use_strategy: 8 },
      { sub_goal: 4, strategy: 7, land_use_strategy: 10 },
      { sub_goal: 5, strategy: 12, land_use_strategy: 2 },
    ]);
  });

  it('numbers items by position and keeps what the poster said in sourceLabel', () => {
    const organisation = board.perspectives[3]!.items.filter((i) => i.kind === 'strategy');
    expect(organisation.slice(10).map((i) => [i.position, i.sourceLabel, i.text.slice(0, 25)])).toEqual([
      [10, 'Strategi 11', 'Være en klima- og miljøbe'],
      [11, 'Strategi 11', 'Sikre innbyggerne mot kli'],
    ]);
    const social = board.perspectives[1]!.items.filter((i) => i.kind === 'strategy');
    expect(social.slice(6).map((i) => [i.position, i.sourceLabel])).toEqual([
      [6, 'Strategi 7'],
      [7, 'Strategi 7'],
      [8, 'Strategi 9'],
    ]);
    const climateLandUse = board.perspectives[2]!.items.filter((i) => i.kind === 'land_use_strategy');
    expect(climateLandUse.map((i) => i.sourceLabel)).toEqual(
      Array.from({ length: 10 }, (_, n) => `Arealstrategi ${n + 1}`),
    );
  });

  it('warns about the repeated and the skipped numbers', () => {
    const duplicates = board.warnings.filter((w) => w.code === 'duplicate_number').map((w) => w.message);
    expect(duplicates).toHaveLength(3);
    expect(duplicates.some((m) => m.includes('«Strategi 11»') && m.includes('strategi 11 og 12'))).toBe(true);
    expect(duplicates.some((m) => m.includes('«Delmål 2»') && m.includes('Klima'))).toBe(true);
    expect(duplicates.some((m) => m.includes('«Strategi 7»') && m.includes('Sosial'))).toBe(true);
    const missing = board.warnings.filter((w) => w.code === 'missing_number');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('hopper over 8');
    expect(missing[0]!.message).toContain('«Strategi 9»');
  });

  it('finds 28 posters in file order with their parts and group labels', () => {
    expect(board.posters).toHaveLength(28);
    expect(board.posters.map((p) => p.perspectiveIndex)).toEqual([
      ...Array(8).fill(0), ...Array(8).fill(1), ...Array(6).fill(2), ...Array(6).fill(3),
    ]);
    expect(board.posters.map((p) => (p.part === 'goals' ? 1 : 2)).join('')).toBe('1111222211112222111222111222');
    expect(board.posters.map((p) => p.groupLabel?.replace('Gruppe ', '') ?? '-').join(' ')).toBe(
      '1 3 5 7 1 3 5 7 2 4 - - - - - - - - - - 4 6 1 2 5 1 - -',
    );
    expect(board.posters[0]!.lines.first).toBe(1);
    expect(board.posters[4]!.lines.first).toBe(1068);
  });

  it('reads each poster’s instructions and box prompts from its own template', () => {
    const goals = board.posters[0]!;
    expect(goals.boxPrompt).toBe('Noen delmål du savner? Eller har du noen generelle innspill til delmålene?');
    expect(goals.instructions).toMatch(/^Se gjennom forslagene til delmål, og vurder .* boksen helt nederst\.$/);
    const strategies = board.posters[4]!;
    expect(strategies.boxPrompts).toEqual([
      'Er det noe du vil legge til? Eller har du noen generelle innspill til strategiene?',
      'Er det noe du vil legge til? Eller har du noen generelle innspill til arealstrategiene?',
    ]);
    expect(strategies.instructions).toMatch(/^Se gjennom forslagene til strategier og arealstrategier, og marker/);
    expect(strategies.title).toBe('Strategier for økonomisk bærekraft');
  });

  it('makes one group per label and one per unlabelled poster, named so the planner sees why', () => {
    expect(board.groups).toHaveLength(19);
    expect(board.groups.slice(0, 7).map((g) => g.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Gruppe ${n}`));
    expect(board.groups[7]!.name).toBe('Uten gruppe (plakat 11: Del 1 Sosial bærekraft)');
    expect(board.posters[10]!.groupIndex).toBe(7);
    expect(board.warnings.filter((w) => w.code === 'poster_without_group')).toHaveLength(12);
  });

  it('reads the rosters with party and committee, joining party names broken across lines', () => {
    const group = (label: string) => board.groups.find((g) => g.label === label)!.participants;
    expect(group('Gruppe 1')).toEqual([
      { name: 'Kjell', party: 'Ap', committee: null },
      { name: 'Dag', party: 'Høyre', committee: 'MIK' },
      { name: 'Signe', party: 'MDG', committee: 'FSK' },
      { name: 'Finn Oddvar', party: 'Sp', committee: null },
    ]);
    expect(group('Gruppe 3')).toEqual([
      { name: 'Dina', party: 'SV', committee: 'BAUN' },
      { name: 'Mathias', party: 'Høyre', committee: 'Plan' },
      { name: 'Kim', party: 'MDG', committee: 'Plan' },
      { name: 'Haakon', party: 'Høyre', committee: 'BAUN' },
      { name: 'Ida', party: 'FrP', committee: 'Plan' },
    ]);
    expect(group('Gruppe 5')).toEqual([
      { name: 'Stein', party: 'Rødt', committee: 'FSK' },
      { name: 'Morten', party: 'Høyre', committee: 'Biom' },
      { name: 'Ragna', party: 'Sp', committee: 'FSK' },
      { name: 'Maria', party: 'Høyre', committee: 'Biom' },
    ]);
    expect(group('Gruppe 7')).toContainEqual({ name: 'Hans Kristian', party: 'Pensjonistpartiet', committee: null });
    expect(group('Gruppe 7')).toContainEqual({ name: 'Torbjørn', party: 'FrP', committee: 'FSK/BIOM' });
    expect(group('Gruppe 2').map((p) => p.name)).toEqual(['Elizabeth', 'Sigrid', 'Siw', 'Anita']);
    expect(board.stats.participants).toBe(24);
  });

  it('reports a roster line with a party but no name as a partial roster', () => {
    const partial = board.warnings.filter((w) => w.code === 'unrecognised_block' && w.message.includes('Deltakerlisten'));
    expect(partial.map((w) => w.posterIndex)).toEqual([2, 8]);
  });

  it('places lapper that name an item on that item', () => {
    const placed: [number, string, string, number][] = [
      [3, 'Innspill til hovedmålet', 'main_goal', 0],
      [6, 'Enig i arealstrategi 1', 'land_use_strategy', 0],
      [7, 'Legge til rette for samvirkeorganisering', 'strategy', 4],
      [7, 'Dersom strategi 7 er det eneste', 'strategy', 6],
      [13, 'Strategi 1 i tillegg til tidlig innsats', 'strategy', 0],
      [13, 'Strategi 6: delta og mestre', 'strategy', 5],
      [13, 'Arealstrategi 7 Stille strenger krav', 'land_use_strategy', 6],
      [13, 'Arealstrategi 3 Ja, det er dyrt', 'land_use_strategy', 2],
      [13, 'Arealstrategi 1. Må tilrettelegges', 'land_use_strategy', 0],
      [14, 'Foreslått som en alternativ formulering', 'strategy', 6],
      [24, 'Delmål 3: For at Bærum kommune', 'sub_goal', 2],
      [24, 'Delmål 1 - er litt usikker', 'sub_goal', 0],
      [24, 'Delmål 1: enig med Siw', 'sub_goal', 0],
      [24, 'delmål 2- synes ikke', 'sub_goal', 1],
      [24, 'delmål 5: trygt og robust', 'sub_goal', 4],
      [24, 'Delmål 2: stusset også', 'sub_goal', 1],
      [24, 'Bærum er en bærekraftig kommune er bedre som hovedmål', 'main_goal', 0],
      [27, 'Strategi 6: tenker jo', 'strategy', 5],
      [27, 'Strategi 5: Gode overganger', 'strategy', 4],
      [27, 'Strategi 9 og 11', 'strategy', 8],
    ];
    for (const [poster, start, kind, position] of placed) {
      expect(noteStarting(board, poster, start).itemRef, start).toEqual({ kind, position });
    }
    expect(noteStarting(board, 27, 'Strategi 9 og 11').mentions.map((m) => m.position)).toEqual([8, 10]);
  });

  it('leaves lapper that name no item unplaced, in the general box', () => {
    expect(noteStarting(board, 1, 'Kommunen skal supportere').itemRef).toBeNull();
    expect(board.stats.placedNotes + board.stats.unplacedNotes).toBe(board.stats.notes);
  });

  it('imports the copied "Arealstrategi 3 / Stille krav om varierte boligtyper" on the klima poster as a lapp', () => {
    const copy = noteStarting(board, 20, 'Arealstrategi 3 Stille krav om varierte boligtyper');
    expect(copy.copyOf).toEqual({ perspectiveIndex: 1, kind: 'land_use_strategy', position: 2 });
    expect(copy.itemRef).toBeNull();
    expect(copy.kind).toBe('new_item');
    const climate = board.perspectives[2]!.items;
    expect(climate.some((i) => i.text.startsWith('Stille krav'))).toBe(false);
  });

  it('removes line-break hyphens but keeps real ones', () => {
    const text = (p: number, kind: string, position: number) =>
      board.perspectives[p]!.items.find((i) => i.kind === kind && i.position === position)!.text;
    expect(text(2, 'land_use_strategy', 4)).toContain('sammenhengende og trygge gang- og sykkelveier');
    expect(text(3, 'strategy', 5)).toMatch(/^Ta i bruk velferdsteknologi i tjenestene/);
    expect(text(2, 'land_use_strategy', 2)).toContain('kollektivknutepunkter');
    expect(text(0, 'land_use_strategy', 4)).toContain('fleksible ute- og innearealer');
  });

  it('reports the "500 menter"/"meter" variant as a template warning, not as a lapp', () => {
    const variant = board.warnings.find((w) => w.code === 'template_variant' && w.message.includes('Arealstrategi 8'));
    expect(variant?.message).toContain('«menter»');
    expect(variant?.message).toContain('«meter»');
    const item = board.perspectives[1]!.items.find((i) => i.kind === 'land_use_strategy' && i.position === 7)!;
    expect(item.text).toBe(
      'Sikre at minst 80 prosent av boligene skal ha maks 500 meter til allment tilgjengelige friområder og rekreasjonsarealer med forbindelse til marka og fjorden',
    );
    const allNotes = board.posters.flatMap((p) => p.notes);
    expect(allNotes.some((n) => /500 men?ter/.test(n.text))).toBe(false);
  });

  it('never imports template text as a lapp', () => {
    const templateOpenings = /^(se gjennom forslagene|noen delmål du savner|er det noe du vil legge til|derfor skal vi|hovedmål:|del \d:|strategier$|arealstrategier$|delmål$)/i;
    const notes = board.posters.flatMap((p) => p.notes);
    expect(notes.filter((n) => templateOpenings.test(n.text)).map((n) => n.text)).toEqual([]);
    const itemTexts = new Set(board.perspectives.flatMap((p) => p.items.map((i) => i.text)));
    expect(notes.filter((n) => itemTexts.has(n.text) && n.copyOf === null)).toEqual([]);
  });

  it('collects detached star digits, also when glued to a lapp', () => {
    expect(board.stats.detachedStarDigits).toBe(29);
    expect(board.posters[7]!.starDigits).toEqual([3, 4, 2, 2, 1, 2, 4, 4, 4, 3, 3, 4]);
    expect(board.posters[15]!.starDigits).toHaveLength(17);
    expect(noteStarting(board, 8, 'Forutsigbarhet').text).toBe('Forutsigbarhet er viktig for bedriftene');
    expect(noteStarting(board, 16, 'Her brukte man').text).toBe('Her brukte man mer en 5 stjerner');
  });

  it('keeps the facilitator’s Notater blocks apart from the lapper', () => {
    expect(board.posters.map((p) => p.facilitatorNotes.length)).toEqual([
      1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0,
    ]);
    expect(board.posters[0]!.facilitatorNotes[0]).toMatch(/^Kommunen må ha den overordnede styringen\n/);
    expect(board.posters[0]!.facilitatorNotes[0]).toContain('blir vi et klassesamfunn igjen?');
    expect(noteStarting(board, 1, 'Legge til rette for mer matproduksjon')).toBeDefined();
    expect(noteStarting(board, 5, 'Sikre, utvikle sammenhengend turveinett')).toBeDefined();
  });

  it('associates name lines with lapper', () => {
    expect(noteStarting(board, 1, 'Samarbeidet må').author).toBe('Dag E');
    expect(noteStarting(board, 1, 'Igjen: Vanskelig').author).toBe('Finn Oddvar');
    expect(noteStarting(board, 1, 'En aktiv målsetting').author).toBe('Signe');
    expect(noteStarting(board, 3, 'Kunnskap og innovasjonsmiljøer').author).toBe('Stein');
    expect(noteStarting(board, 12, 'Hyggelige by og gatemiljø').author).toBe('Hans Kristian');
    expect(noteStarting(board, 14, 'Legge til rette for at flest mulig').author).toBe('Ole Kristian');
    expect(noteStarting(board, 28, 'Viktig med innbyggerdialog').author).toBe('Wenche');
    expect(noteStarting(board, 1, 'Kommunene som forstår').author).toBeNull();
  });

  it('classifies lapper as questions, rewordings, new items or comments', () => {
    expect(noteStarting(board, 3, 'HVordan skape arbeidsplasser').kind).toBe('question');
    expect(noteStarting(board, 14, 'Foreslått som en alternativ formulering').kind).toBe('rewording');
    expect(noteStarting(board, 19, 'Savner FNs bærekraftsmål').kind).toBe('new_item');
    expect(noteStarting(board, 21, 'Egen strategi på restaurering').kind).toBe('new_item');
    expect(noteStarting(board, 1, 'Kommunen skal supportere').kind).toBe('comment');
  });

  it('warns about lapper that appear twice', () => {
    const duplicates = board.warnings.filter((w) => w.code === 'suspected_duplicate_note');
    expect(duplicates.some((w) => w.posterIndex === 25 && w.message.includes('Planlegge bygg for flere mulige'))).toBe(true);
    expect(duplicates.some((w) => w.posterIndex === 5 && w.message.includes('står også på plakat 2'))).toBe(true);
  });

  it('writes every warning in Norwegian for the planner', () => {
    for (const warning of board.warnings) expect(warning.message).toMatch(/[æøå]|plakat|står|ikke/i);
  });
});

describe('a different plan (synthetic Nordvik export)', () => {
  const board = parseBoardText(nordvikExport());

  it('discovers the template of another municipality’s posters', () => {
    expect(board.perspectives.map((p) => [p.title, p.mainGoal])).toEqual([
      ['Levende lokalsamfunn', 'I Nordvik skal alle ha et trygt og levende lokalsamfunn'],
      ['Grønn omstilling', 'Nordvik er en foregangskommune for grønn omstilling'],
    ]);
    expect(board.perspectives[0]!.items.map((i) => `${i.sourceLabel}: ${i.text}`)).toEqual([
      'Delmål 1: Nordvik har gode møteplasser i alle grender',
      'Delmål 2: Alle barn får en god start på livet',
      'Delmål 3: Eldre kan bo hjemme lenger med velferdsteknologi',
      'Strategi 1: Styrke frivilligheten og lag og foreninger',
      'Strategi 2: Bygge trygge gang- og sykkelveier mellom grendene',
      'Strategi 2: Samarbeide med nabokommunene om tjenester',
      'Arealstrategi 1: Samle ny boligbygging rundt sentrum',
    ]);
    expect(board.perspectives[1]!.items).toHaveLength(6);
    expect(board.posters).toHaveLength(8);
    expect(board.posters[0]!.boxPrompt).toBe('Mangler det et delmål? Skriv det på en lapp her.');
    expect(board.posters[2]!.instructions).toMatch(/^Les gjennom strategiene og sett en stjerne/);
  });

  it('keeps groups, rosters and lapper apart from the template', () => {
    expect(board.groups.map((g) => g.name)).toEqual(['Gruppe 1', 'Gruppe 2', 'Uten gruppe (plakat 6: Del 1 Grønn omstilling)']);
    expect(board.groups[0]!.participants).toEqual([
      { name: 'Kari Nordmann', party: 'Ap', committee: 'Formannskapet' },
      { name: 'Ola', party: 'Høyre', committee: 'PLAN' },
      { name: 'Per', party: 'Sp', committee: null },
    ]);
    expect(board.posters.map((p) => p.notes.length)).toEqual([3, 1, 2, 2, 2, 1, 1, 1]);
    expect(board.posters[0]!.notes.map((n) => [n.text, n.author, n.kind, n.itemRef])).toEqual([
      ['Delmål 1: også digitale møteplasser', null, 'comment', { kind: 'sub_goal', position: 0 }],
      ['Savner et delmål om kultur', 'Ola', 'new_item', null],
      ['Hva betyr "god start"?', null, 'question', null],
    ]);
    expect(board.posters[2]!.notes[0]).toMatchObject({ author: 'Kari Nordmann', itemRef: { kind: 'strategy', position: 1 } });
    expect(board.posters[2]!.starDigits).toEqual([2, 3, 1]);
    expect(board.posters[3]!.notes[0]!.text).toBe('Viktigst av alt');
    expect(board.posters[0]!.facilitatorNotes).toEqual(['Gruppa var opptatt av møteplasser i grendene og av kultur for unge.']);
  });

  it('numbers a missing delmål by position and warns', () => {
    const goals = board.perspectives[1]!.items.filter((i) => i.kind === 'sub_goal');
    expect(goals.map((i) => [i.position, i.sourceLabel])).toEqual([
      [0, 'Delmål 1'],
      [1, 'Delmål 3'],
    ]);
    expect(noteOn(board, 5, 'Delmål 3 er for svakt').itemRef).toEqual({ kind: 'sub_goal', position: 1 });
    expect(board.warnings.some((w) => w.code === 'missing_number' && w.message.includes('Grønn omstilling'))).toBe(true);
  });

  it('reports a typo on one of two copies as a template variant and imports the spelling used elsewhere', () => {
    const goal = board.perspectives[1]!.items.find((i) => i.sourceLabel === 'Delmål 3')!;
    expect(goal.text).toBe('Naturen i Nordvik blir tatt vare på');
    const warning = board.warnings.find((w) => w.code === 'template_variant');
    expect(warning).toMatchObject({ posterIndex: 5 });
    expect(board.posters[5]!.notes.map((n) => n.text)).toEqual(['Hovedmålet er bra']);
  });

  it('keeps a lapp that starts with "Hovedmål:" a lapp, also when it repeats the real one', () => {
    const rewording = { lapper: [['Hovedmål: I Nordvik skal', 'alle trives'], ['Enig!']] };
    const copied = { lapper: [['Hovedmål: Nordvik er en foregangskommune ', 'for grønn omstilling'], ['Bra']] };
    const text = [
      ...renderPoster(nordvikPosters.aGoals, rewording, true),
      ...renderPoster(nordvikPosters.aGoals, { lapper: [['Kort og godt']] }, false),
      ...renderPoster(nordvikPosters.bGoals, copied, true),
      ...renderPoster(nordvikPosters.bGoals, { lapper: [['Ok']] }, false),
    ].join('\n');
    const parsed = parseBoardText(text);
    expect(parsed.posters).toHaveLength(4);
    expect(parsed.posters[0]!.notes[0]).toMatchObject({ text: 'Hovedmål: I Nordvik skal alle trives', itemRef: { kind: 'main_goal', position: 0 } });
    expect(parsed.posters[2]!.notes[0]!.text).toBe('Hovedmål: Nordvik er en foregangskommune for grønn omstilling');
  });

  it('merges copies whose hovedmål differs by a typo into one perspective and warns', () => {
    const typo = { ...nordvikPosters.aGoals, mainGoal: ['Hovedmål: I Nordvik skal alle ha et trygt og levende lokal-', 'samfun'] };
    const text = [
      ...renderPoster(nordvikPosters.aGoals, { lapper: [['Bra']] }, true),
      ...renderPoster(nordvikPosters.aGoals, { lapper: [['Fint']] }, false),
      ...renderPoster(typo, { lapper: [['Godt']] }, false),
    ].join('\n');
    const parsed = parseBoardText(text);
    expect(parsed.perspectives).toHaveLength(1);
    expect(parsed.perspectives[0]!.mainGoal).toBe('I Nordvik skal alle ha et trygt og levende lokalsamfunn');
    expect(parsed.warnings.some((w) => w.code === 'template_variant' && w.message.startsWith('Hovedmålet'))).toBe(true);
  });

  function noteOn(b: ParsedBoard, posterNumber: number, start: string): ParsedNote {
    return noteStarting(b, posterNumber, start);
  }
});

describe('a board with a single copy of each poster', () => {
  const roster = { label: 'Gruppe 1', roster: ['Kari', 'Ap'] };
  const text = [
    ...renderPoster(nordvikPosters.aGoals, { lapper: [['Delmål 2: viktig ', 'for alle']], group: roster }, true),
    ...renderPoster(nordvikPosters.aStrategies, { lapper: [['Flere ', 'benker']], group: roster }, true),
  ].join('\n');

  it('still reads the numbered items and warns that the template could not be confirmed', () => {
    const board = parseBoardText(text);
    expect(board.perspectives[0]!.items.map((i) => i.text)).toContain('Eldre kan bo hjemme lenger med velferdsteknologi');
    expect(board.perspectives[0]!.items).toHaveLength(7);
    expect(board.posters[0]!.notes.at(-1)).toMatchObject({ text: 'Delmål 2: viktig for alle', itemRef: { kind: 'sub_goal', position: 1 } });
    expect(board.warnings.filter((w) => w.code === 'template_variant' && w.message.includes('bare i én kopi'))).toHaveLength(2);
  });
});

describe('joining broken lines', () => {
  it('removes a hyphen that broke a word at the end of a line', () => {
    expect(joinBrokenLines(['Ta i bruk velferds-', 'teknologi i tjenestene'])).toBe('Ta i bruk velferdsteknologi i tjenestene');
    expect(joinBrokenLines(['rundt kollektivknute- ', 'punkter'])).toBe('rundt kollektivknutepunkter');
  });

  it('keeps a hyphen followed by "og", "eller" or a comma', () => {
    expect(joinBrokenLines(['og trygge gang- ', 'og sykkelveier'])).toBe('og trygge gang- og sykkelveier');
    expect(joinBrokenLines(['utføres i gang-', ', sykkel- eller kollektivavstand'])).toBe('utføres i gang- , sykkel- eller kollektivavstand');
    expect(joinBrokenLines(['tilgjengelighet til fleksible ute- ', 'og innearealer'])).toBe('tilgjengelighet til fleksible ute- og innearealer');
  });

  it('keeps a hyphen before a capital or a digit, and a dash before a verb', () => {
    expect(joinBrokenLines(['lokk over E-', '18'])).toBe('lokk over E-18');
    expect(joinBrokenLines(['dette delmålet- ', 'blir litt "fluffy"'])).toBe('dette delmålet- blir litt "fluffy"');
  });

  it('joins lines with single spaces', () => {
    expect(joinBrokenLines(['  Hovedmål  er ', '', 'bra  '])).toBe('Hovedmål er bra');
  });
});

describe('telling whether a paragraph goes on', () => {
  it('goes on in lower case and stops after a full stop', () => {
    expect(continuesText('Samarbeidet må handle om hvor vi vil kommunen skal. De', 'ansatte må involveres')).toBe(true);
    expect(continuesText('Det er lett å komme til og fra jobb.', 'legge tilrette for små og')).toBe(false);
  });

  it('goes on after a word a sentence cannot end on, even before a capital', () => {
    expect(continuesText('I samarbeid med', 'Bærum Næringsråd')).toBe(true);
    expect(continuesText('Bra byutvikling på', 'Fornebu?')).toBe(true);
    expect(continuesText('Samskaping', 'Det tilrettelegges')).toBe(false);
  });

  it('starts a new note at an item reference unless the text points to it', () => {
    expect(continuesText('med høy kvalitet"', 'delmål 5: trygt og robust')).toBe(false);
    expect(continuesText('for mange strategier, ref', 'strategi 1, 2 og 3.')).toBe(true);
    expect(continuesText('av boligene skal ha maks', '500 meter til allment')).toBe(true);
  });
});

describe('numbering items by position', () => {
  it('gives a repeated label the next number not printed', () => {
    expect(assignNumbers([1, 2, 3, 4, 5, 6, 7, 9, 7])).toEqual({ numbers: [1, 2, 3, 4, 5, 6, 7, 9, 8], missing: [8] });
    expect(assignNumbers([1, 2, 3, 2])).toEqual({ numbers: [1, 2, 3, 4], missing: [] });
    expect(assignNumbers([10, 11, 11])).toEqual({ numbers: [10, 11, 12], missing: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });

  it('orders by the printed number even when the export scrambles the order', () => {
    expect(assignNumbers([1, 8, 9, 7, 10]).numbers).toEqual([1, 8, 9, 7, 10]);
  });
});

describe('reading rosters', () => {
  it('joins a party name broken across lines', () => {
    expect(readParty('Senter- ', 'partietpartiet')).toEqual({ party: 'Sp', lines: 2 });
    expect(readParty('Pensjonistpar', 'tiet')).toEqual({ party: 'Pensjonistpartiet', lines: 2 });
    expect(readParty('H', 'MIK')).toEqual({ party: 'Høyre', lines: 1 });
    expect(readParty('Haakon', 'H')).toBeNull();
  });

  it('tells names from committees by what follows a party in any roster of the file', () => {
    const first = lines('Dina', 'SV', 'BAUN', 'Kim', 'MDG', 'Plan');
    const partial = lines('Dina', 'BAUN', 'Mathias', 'Høyre', 'Kim', 'Haakon', 'Høyre', 'BAUN');
    const vocabulary = learnRosterVocabulary([first, partial]);
    expect(readRoster(partial, vocabulary).participants).toEqual([
      { name: 'Dina', party: null, committee: 'BAUN' },
      { name: 'Mathias', party: 'Høyre', committee: null },
      { name: 'Kim', party: null, committee: null },
      { name: 'Haakon', party: 'Høyre', committee: 'BAUN' },
    ]);
  });

  it('reports a party without a name', () => {
    const roster = lines('Stein', 'Rødt', 'FSK', 'Høyre', 'Morten', 'Høyre', 'Biom');
    const reading = readRoster(roster, learnRosterVocabulary([roster]));
    expect(reading.orphans).toEqual(['Høyre']);
    expect(reading.participants.map((p) => p.name)).toEqual(['Stein', 'Morten']);
  });

  it('takes the last group label and the short lines under it as the roster', () => {
    const split = splitAtGroupLabel(lines('En lapp', '', 'Gruppe 5', '', 'Stein', 'Rødt'));
    expect(split.label).toBe('Gruppe 5');
    expect(split.rosterLines.map((l) => l.text)).toEqual(['Stein', 'Rødt']);
    expect(split.writingLines.map((l) => l.text)).toEqual(['En lapp', '']);
  });
});

describe('reading what a group wrote', () => {
  const book = buildNameBook([
    { name: 'Signe', party: null, committee: null },
    { name: 'Dag', party: null, committee: null },
    { name: 'Finn Oddvar', party: null, committee: null },
  ]);

  it('gives a name written above a lapp to that lapp, and a name standing alone to the lapp above', () => {
    const reading = readWriting(
      lines('Bruke mer', 'lokal mat', '', 'Dag E', '', 'Signe', 'En aktiv', '', 'målsetting.', '', 'Finn', 'Oddvar'),
      book,
    );
    expect(reading.notes.map((n) => [n.lines.join(' '), n.author])).toEqual([
      ['Bruke mer lokal mat', 'Dag E'],
      ['En aktiv målsetting.', 'Signe'],
    ]);
    expect(reading.strayNames).toEqual(['Finn Oddvar']);
  });

  it('takes bare digits as star counts, also when glued to the start of a lapp', () => {
    const reading = readWriting(lines('3 4 2Forutsigbarhet', 'er viktig', '', '2 1', '', 'Her brukte man', 'mer en 5 stjerner'), book);
    expect(reading.starDigits).toEqual([3, 4, 2, 2, 1]);
    expect(reading.notes.map((n) => n.lines.join(' '))).toEqual(['Forutsigbarhet er viktig', 'Her brukte man mer en 5 stjerner']);
  });

  it('keeps a Notater block apart until the narrow lines of a lapp begin', () => {
    const reading = readWriting(
      lines(
        'Notater:',
        'Forutsigbar samarbeidspartner for næringslivet, viktig. Også viktig å samarbeide',
        'med forsknings- og universitetsmiljøer.',
        '',
        'Kortreist samfunn.',
        '',
        'Legge til rette',
        'for mer',
        '',
        'matproduksjon',
      ),
      book,
    );
    expect(reading.facilitatorNotes).toEqual([
      'Forutsigbar samarbeidspartner for næringslivet, viktig. Også viktig å samarbeide med forsknings- og universitetsmiljøer.\nKortreist samfunn.',
    ]);
    expect(reading.notes.map((n) => n.lines.join(' '))).toEqual(['Legge til rette for mer matproduksjon']);
  });

  it('splits a name glued to a lapp', () => {
    const reading = readWriting(lines('WencheViktig', 'med', '', 'innbyggerdialog'), book);
    expect(reading.notes).toEqual([{ lines: ['Viktig', 'med', 'innbyggerdialog'], author: 'Wenche', firstLine: 0 }]);
  });
});

describe('finding the items a lapp names', () => {
  it('reads labels, lists, ranges, typos and the main goal', () => {
    expect(findMentions('Strategi 9 og 11 ved aktiv bruk')).toEqual([
      { kind: 'strategy', number: 9 },
      { kind: 'strategy', number: 11 },
    ]);
    expect(findMentions('Gode delmål 2-5, men')).toHaveLength(4);
    expect(findMentions('Startegi 6: Sørge for')).toEqual([{ kind: 'strategy', number: 6 }]);
    expect(findMentions('Enig i arealstrategi 1.')).toEqual([{ kind: 'land_use_strategy', number: 1 }]);
    expect(findMentions('er bedre som hovedmål')).toEqual([{ kind: 'main_goal', number: 0 }]);
    expect(findMentions('enig i nr 5, slapp opp for stjerner')).toEqual([]);
  });
});

describe('classifying lapper', () => {
  it('follows the order question, rewording, new item, comment', () => {
    expect(classifyNote('Hva menes med "aktiv"?')).toBe('question');
    expect(classifyNote('Foreslått som en alternativ formulering til strategi 7.')).toBe('rewording');
    expect(classifyNote('Nytt delmål: kultur for alle')).toBe('new_item');
    expect(classifyNote('Ny strategi: bredbånd')).toBe('new_item');
    expect(classifyNote('Savner FNs bærekraftsmål')).toBe('new_item');
    expect(classifyNote('Viktig med medvirkning')).toBe('comment');
  });
});

describe('rejecting what is not a whiteboard export', () => {
  const rejects = (input: string, code: string) => {
    try {
      parseBoardText(input);
    } catch (error) {
      expect(error).toBeInstanceOf(BoardImportError);
      expect((error as BoardImportError).code).toBe(code);
      expect((error as BoardImportError).message).toMatch(/[a-zæøå]/);
      return;
    }
    throw new Error('expected a BoardImportError');
  };

  it('rejects an empty file', () => rejects('', 'empty'));
  it('rejects a file of blank lines', () => rejects(' \n\n\t\n', 'empty'));
  it('rejects random text', () => rejects('Lorem ipsum dolor sit amet.\nDet var en gang en katt.\n', 'no_posters'));
  it('rejects a JSON file', () => rejects(JSON.stringify({ posters: [{ hovedmål: 'Hovedmål: x' }] }), 'no_posters'));
  it('rejects binary junk', () => rejects('\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0001', 'not_text'));
  it('rejects posters with a Hovedmål but no numbered items', () =>
    rejects('Hovedmål: A\nDel 1: Delmål for a\n\nHovedmål: A\nDel 1: Delmål for a\n', 'no_items'));
  it('takes lone "Hovedmål:" lines for text, not posters', () => rejects('Hovedmål: A\n\nHovedmål: A\n', 'no_posters'));
  it('rejects a file far too large', () => rejects('x'.repeat(5_000_001), 'too_large'));
  it('says in Norwegian that no poster with Hovedmål was found', () => {
    expect(() => parseBoardText('bare tekst')).toThrow(
      'Filen ser ikke ut som en tekst-eksport av et verkstedsbrett: fant ingen plakater med Hovedmål.',
    );
  });
  it('rejects a value that is not a string at run time', () => {
    expect(() => parseBoardText(42 as unknown as string)).toThrow(BoardImportError);
  });

  it('throws nothing but BoardImportError for any string', () => {
    const seed = readFileSync(seedPath, 'utf8').split('\n');
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const inputs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const from = Math.floor(random() * seed.length);
      inputs.push(seed.slice(from, from + Math.floor(random() * 1500)).join('\n'));
      const shuffled = seed.slice(from, from + 300).sort(() => random() - 0.5);
      inputs.push(shuffled.join('\n'));
      inputs.push(Array.from({ length: 200 }, () => String.fromCharCode(Math.floor(random() * 0x2fff))).join(''));
    }
    inputs.push('Hovedmål:\nDelmål 1\n', 'Hovedmål: x\nStrategi 99\nGruppe 1\nH\n', 'Gruppe 1\n'.repeat(50), 'Notater:\n3 4\n');
    for (const input of inputs) {
      try {
        parseBoardText(input);
      } catch (error) {
        expect(error).toBeInstanceOf(BoardImportError);
      }
    }
  });
});
