import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Queryable } from '../db/database.js';
import { sections, threaded, type ReportContext, type ReportItem, type ReportNote, type ReportRevision, type Tally } from './reportData.js';
import { assessmentLabels, calendarDate, count, GENERAL_BOX, longDate, NO_INPUT, NO_THEME, NOT_ASSESSED, reportText } from '../../contract/reports.schema.js';
import { unzip, zip, type ZipEntry } from './zip.js';

/**
 * The report for the political case (saksframlegg) as a Word document.
 *
 * The `docx` package writes the whole package — styles with real heading styles (Word's outline),
 * language nb-NO, properties, footer, the title page and the summary — and, once, every kind of
 * block the body repeats (headings, paragraphs, a table's header and row) with numbered slots
 * (¤0¤). The body is then streamed by filling those blocks with each lapp's text and deflated
 * as it is written. Building a docx object per lapp instead took 20–50 s and 1.7 GB for 100,000
 * lapper (docs/benchmarks.md); this way the markup is still docx's, and memory holds one batch.
 */

const SLOT = '¤';
const WORD_NS_END = '<w:body>';

/** A block of WordprocessingML with slots: literal, slot index, literal, … */
class Template {
  private readonly parts: Array<string | number>;
  constructor(xml: string) {
    this.parts = xml.split(/¤(\d+)¤/).map((part, i) => (i % 2 ? Number(part) : part));
  }

  fill(...values: string[]): string {
    let out = '';
    for (const part of this.parts) out += typeof part === 'number' ? runText(values[part] ?? '') : part;
    return out;
  }
}

/**
 * Text for inside `<w:t xml:space="preserve">`: escaped, characters XML forbids dropped, and line
 * breaks and tabs as Word's own elements (texts are stored as typed, with their line breaks).
 */
function runText(value: string): string {
  return reportText(value)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/\r\n?|\n/g, '</w:t><w:br/><w:t xml:space="preserve">')
    .replace(/\t/g, '</w:t><w:tab/><w:t xml:space="preserve">');
}

const slot = (n: number) => `${SLOT}${n}${SLOT}`;
const marker = (name: string) => new Paragraph(`${SLOT}MARK:${name}${SLOT}`);

const headerShading = { fill: 'E7E6E6', type: ShadingType.CLEAR, color: 'auto' } as const;
const replyShading = { fill: 'F2F2F2', type: ShadingType.CLEAR, color: 'auto' } as const;

/** The A4 text width in twips (21 cm less 2 × 2.54 cm margins): the columns of every table add up to it. */
const TEXT_WIDTH = 9026;

/**
 * [REPORT-2] A column of a table: its header and width in twips. Widths are fixed (Word and
 * LibreOffice otherwise squeeze a column until "Kommentar" breaks as "Kommenta r"): each narrow
 * column is as wide as its longest word in bold 10 pt, and the text column takes the rest.
 */
type ColumnSpec = [header: string, width: number | 'rest'];

function widths(columns: ColumnSpec[]): number[] {
  const fixed = columns.reduce((sum, [, width]) => sum + (width === 'rest' ? 0 : width), 0);
  return columns.map(([, width]) => (width === 'rest' ? TEXT_WIDTH - fixed : width));
}

/** A table of fixed column widths with a header row Word repeats on every page it runs over. */
function table(columns: ColumnSpec[], rows: Array<{ cells: Paragraph[][]; reply?: boolean }>): Table {
  const sizes = widths(columns);
  const cell = (children: Paragraph[], i: number, shading?: typeof headerShading | typeof replyShading) =>
    new TableCell({ width: { size: sizes[i]!, type: WidthType.DXA }, ...(shading ? { shading } : {}), children });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    columnWidths: sizes,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: columns.map(([header], i) => cell([new Paragraph({ children: [new TextRun({ text: header, bold: true, size: 20 })] })], i, headerShading)),
      }),
      ...rows.map((row) => new TableRow({ cantSplit: true, children: row.cells.map((paragraphs, i) => cell(paragraphs, i, row.reply ? replyShading : undefined)) })),
    ],
  });
}

/** A paragraph of table text (10 pt); `indent` moves a reply in under the lapp it answers. */
const cellText = (text: string, options: { bold?: boolean; italics?: boolean; indent?: boolean } = {}) =>
  new Paragraph({
    ...(options.indent ? { indent: { left: 227 } } : {}),
    spacing: { after: 40 },
    children: [new TextRun({ text, size: 20, ...(options.bold ? { bold: true } : {}), ...(options.italics ? { italics: true } : {}) })],
  });
const p = (n: number, options: { bold?: boolean; italics?: boolean; indent?: boolean } = {}) => cellText(slot(n), options);

const lapperColumns = (partyShown: boolean): ColumnSpec[] => [
  [partyShown ? 'Fra (parti)' : 'Fra', 1800],
  ['Type', 1850],
  ['Innspill', 'rest'],
  ['Vurdering', 2100],
];

/** The blocks the body repeats, each once, between markers. */
function templateBlocks(partyShown: boolean) {
  // A reply's text is indented (only there: the narrow columns need their full width).
  const lapp = (indent: boolean) => [
    [p(0, { bold: true }), p(1)],
    [p(2)],
    [p(3, { indent }), p(4, { italics: true, indent })],
    [p(5, { bold: true }), p(6)],
  ];
  return [
    marker('h1'),
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(slot(0))] }),
    marker('h2'),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(slot(0))] }),
    marker('h3'),
    new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(slot(0))] }),
    marker('p'),
    new Paragraph({ children: [new TextRun(slot(0))] }),
    marker('quiet'),
    new Paragraph({ children: [new TextRun({ text: slot(0), italics: true })] }),
    marker('labelled'),
    new Paragraph({ children: [new TextRun({ text: slot(0), bold: true }), new TextRun(slot(1))] }),
    marker('lapper'),
    // Two row templates: a lapp, and a reply to it (indented, shaded).
    table(lapperColumns(partyShown), [{ cells: lapp(false) }, { cells: lapp(true), reply: true }]),
    marker('summary'),
    table(
      [
        ['Punkt', 1650],
        ['Tekst', 'rest'],
        ['Stjerner', 1050],
        ['Stjerner per gruppe', 1500],
        ['Lapper', 850],
        ['Vurdering', 1300],
      ],
      [{ cells: [[p(0, { bold: true })], [p(1)], [p(2)], [p(3)], [p(4)], [p(5)]] }],
    ),
    marker('end'),
  ];
}

const tallyText = (tally: Tally) => {
  const parts = (Object.keys(assessmentLabels) as Array<keyof typeof assessmentLabels>)
    .filter((status) => tally.get(status))
    .map((status) => `${tally.get(status)} ${assessmentLabels[status].toLowerCase()}`);
  if (tally.get('unassessed')) parts.push(`${tally.get('unassessed')} ${NOT_ASSESSED.toLowerCase()}`);
  return parts.join(', ');
};

/** The title page and the summary, as ordinary docx content. */
function front(report: ReportContext): Array<Paragraph | Table> {
  const { workshop, plan, totals } = report;
  const facts: Array<[string, string]> = [
    ['Plan: ', plan.title],
    ['Kommune: ', plan.municipality],
    ['Planperiode: ', `fram til ${plan.horizonYear}`],
    ['Verksted: ', workshop.title],
    ['Dato for verkstedet: ', workshop.date ? calendarDate(workshop.date) : 'ikke satt'],
    ['Rapporten er laget: ', longDate(report.generatedAt)],
  ];
  const summary: Array<Paragraph | Table> = [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, text: 'Sammendrag' })];
  if (totals.notes === 0 && totals.stars === 0) {
    summary.push(new Paragraph(NO_INPUT));
    return [titlePage(), ...facts.map(fact), ...summary];
  }
  summary.push(
    new Paragraph(
      totals.notes === 0
        ? NO_INPUT
        : `${count(totals.notes, 'lapp', 'lapper')} fra ${count(totals.groups, 'gruppe', 'grupper')}, ${totals.assessed.toLocaleString('nb-NO')} vurdert.`,
    ),
  );
  if (totals.notes > 0) summary.push(new Paragraph(`Vurderinger: ${tallyText(totals.byStatus)}.`));
  if (totals.stars > 0) summary.push(new Paragraph(`${count(totals.stars, 'stjerne', 'stjerner')} er gitt.`));
  summary.push(
    new Paragraph({
      children: [
        new TextRun({
          italics: true,
          text:
            'Lapper som er trukket tilbake, og kopier som er slått sammen med en annen lapp, er ikke med. ' +
            (workshop.partyInReports ? '' : 'Partitilhørighet er utelatt etter verkstedets innstilling.'),
        }),
      ],
    }),
  );
  return [titlePage(), ...facts.map(fact), ...summary, ...participantsSection(report), ...consensusSection(report), ...revisionsSection(report)];

  function titlePage() {
    return new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`Innspill fra ${reportText(workshop.title)}`)] });
  }
  function fact([label, value]: [string, string]) {
    return new Paragraph({ children: [new TextRun({ text: label, bold: true }), new TextRun(reportText(value))] });
  }
}

const heading = (level: (typeof HeadingLevel)[keyof typeof HeadingLevel], text: string, pageBreakBefore = false) =>
  new Paragraph({ heading: level, pageBreakBefore, children: [new TextRun(reportText(text))] });
const plain = (text: string, options: { italics?: boolean } = {}) => new Paragraph({ children: [new TextRun({ text: reportText(text), ...options })] });

/** [REPORT-8] Who took part: each group with its facilitator and participants (committee; party only where the workshop allows it). */
function participantsSection(report: ReportContext): Array<Paragraph | Table> {
  const groups = [...report.groups.values()];
  const people = groups.reduce((sum, group) => sum + group.participants.length, 0);
  if (people === 0) return [];
  const partyShown = report.workshop.partyInReports;
  const columns: ColumnSpec[] = [['Gruppe', 1500], ['Deltaker', 'rest'], ['Utvalg', 2600], ...(partyShown ? ([['Parti', 2000]] as ColumnSpec[]) : [])];
  const rows = groups.flatMap((group) =>
    group.participants.map((person, i) => ({
      cells: [
        i === 0 ? [cellText(reportText(group.name), { bold: true }), ...(group.facilitator ? [cellText(`Fasilitator: ${reportText(group.facilitator)}`, { italics: true })] : [])] : [cellText('')],
        [cellText(reportText(person.name))],
        [cellText(reportText(person.committee ?? ''))],
        ...(partyShown ? [[cellText(reportText(person.party ?? ''))]] : []),
      ],
    })),
  );
  return [
    heading(HeadingLevel.HEADING_1, 'Deltakere', true),
    plain(`${count(people, 'deltaker', 'deltakere')} i ${count(groups.filter((g) => g.participants.length).length, 'gruppe', 'grupper')}.`),
    table(columns, rows),
  ];
}

/** [SYN-2] The consensus ranking: the starred items, most widely starred first. */
function consensusSection(report: ReportContext): Array<Paragraph | Table> {
  if (report.consensus.length === 0) return [];
  const partyShown = report.workshop.partyInReports;
  const columns: ColumnSpec[] = [
    ['Nr.', 650],
    ['Punkt', 1900],
    ['Tekst', 'rest'],
    ['Grupper', 1050],
    ...(partyShown ? ([['Partier', 1000]] as ColumnSpec[]) : []),
    ['Stjerner', 1050],
  ];
  const rows = report.consensus.map((entry, i) => ({
    cells: [
      [cellText(`${i + 1}`)],
      [cellText(entry.item.label, { bold: true }), cellText(reportText(entry.perspective))],
      [cellText(reportText(entry.item.text))],
      [cellText(`${entry.groupsStarring}`)],
      ...(partyShown ? [[cellText(`${entry.partiesStarring}`)]] : []),
      [cellText(`${entry.stars}`)],
    ],
  }));
  return [
    heading(HeadingLevel.HEADING_1, 'Prioritering', true),
    plain(
      partyShown
        ? 'Punktene som fikk stjerner, rangert etter hvor mange grupper og deretter hvor mange partier som ga dem stjerner.'
        : 'Punktene som fikk stjerner, rangert etter hvor mange grupper som ga dem stjerner.',
    ),
    table(columns, rows),
  ];
}

const revisionActions: Record<ReportRevision['action'], string> = {
  created: 'Nytt punkt',
  edited: 'Endret tekst',
  archived: 'Fjernet',
  restored: 'Tatt inn igjen',
  moved: 'Flyttet',
};

/** [SYN-6] Each change to the plan's text since the workshop: before → after, and the lapper behind it. */
function revisionsSection(report: ReportContext): Array<Paragraph | Table> {
  if (report.revisions.length === 0) return [];
  const partyShown = report.workshop.partyInReports;
  const labelled = (label: string, text: string) => new Paragraph({ children: [new TextRun({ text: label, bold: true }), new TextRun(reportText(text))] });
  return [
    heading(HeadingLevel.HEADING_1, 'Endringer i planteksten', true),
    plain('Hver endring av et punkt etter verkstedet, med teksten før og etter og lappene planleggeren oppga som grunnlag.'),
    ...report.revisions.flatMap((revision) => [
      heading(HeadingLevel.HEADING_2, `${revision.label}: ${revisionActions[revision.action].toLowerCase()}`),
      ...(revision.before !== null ? [labelled('Før: ', revision.before)] : []),
      ...(revision.after !== null ? [labelled('Etter: ', revision.after)] : []),
      plain(`${longDate(revision.createdAt)}.`, { italics: true }),
      ...(revision.notes.length === 0
        ? [plain('Ingen lapper er oppgitt som grunnlag.', { italics: true })]
        : [
            new Paragraph({ keepNext: true, children: [new TextRun({ text: `Lapper bak endringen (${revision.notes.length}):`, bold: true })] }),
            table(
              lapperColumns(partyShown),
              revision.notes.map((note) => ({ cells: lapperCells(note).map((cell) => cell.map(([text, options]) => cellText(reportText(text), options))) })),
            ),
          ]),
    ]),
  ];
}

/** The four cells of a lapp's row — who, what kind, the text, the assessment — as (text, style) pairs. */
function lapperCells(note: ReportNote, options: { partLabel?: boolean; replyTo?: string } = {}): Array<Array<[string, { bold?: boolean; italics?: boolean }]>> {
  const author = note.party ? `${note.author} (${note.party})` : note.author;
  const kind = [options.replyTo ? `Svar til ${options.replyTo}` : note.kind, options.partLabel ? note.part : '', note.placed ? '' : 'ikke plassert'].filter(Boolean).join(', ');
  const agree = note.agreeCount ? count(note.agreeCount, 'enig', 'enige') : '';
  return [
    [[note.group, { bold: true }], [author, {}]],
    [[kind, {}]],
    [[note.text, {}], [agree, { italics: true }]],
    [[note.statusLabel, { bold: true }], [note.justification, {}]],
  ];
}

function skeleton(report: ReportContext): Document {
  return new Document({
    title: `Innspill fra ${report.workshop.title}`,
    subject: `${report.plan.title}, ${report.plan.municipality}`,
    description: 'Innspill og merknadsbehandling fra verkstedet, laget av Innspill',
    creator: 'Innspill',
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22, language: { value: 'nb-NO' } }, paragraph: { spacing: { after: 80 } } },
        title: { run: { size: 48, bold: true }, paragraph: { spacing: { after: 400 } } },
        heading1: { run: { size: 32, bold: true, color: '1F3864' }, paragraph: { outlineLevel: 0, keepNext: true, spacing: { before: 240, after: 120 } } },
        heading2: { run: { size: 26, bold: true, color: '2E74B5' }, paragraph: { outlineLevel: 1, keepNext: true, spacing: { before: 240, after: 80 } } },
        heading3: { run: { size: 22, bold: true, color: '404040' }, paragraph: { outlineLevel: 2, keepNext: true, spacing: { before: 160, after: 60 } } },
      },
    },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: ['Side ', PageNumber.CURRENT, ' av ', PageNumber.TOTAL_PAGES] })] })],
          }),
        },
        children: [...front(report), marker('body'), ...templateBlocks(report.workshop.partyInReports), new Paragraph('')],
      },
    ],
  });
}

/** The paragraph holding a marker, as start and end offsets in the document XML. */
function findMarker(xml: string, name: string): { start: number; end: number } {
  const at = xml.indexOf(`${SLOT}MARK:${name}${SLOT}`);
  if (at < 0) throw new Error(`docx skeleton: marker ${name} is missing`);
  const start = xml.lastIndexOf('<w:p>', at);
  const end = xml.indexOf('</w:p>', at) + '</w:p>'.length;
  return { start, end };
}

function between(xml: string, from: string, to: string): string {
  return xml.slice(findMarker(xml, from).end, findMarker(xml, to).start);
}

/** A table template split into its opening (properties, grid, header row), its row templates, and its close. */
function splitTable(xml: string) {
  const rows = [...xml.matchAll(/<w:tr[ >]/g)].map((m) => m.index);
  const close = xml.lastIndexOf('</w:tbl>');
  if (rows.length < 2 || close < 0) throw new Error('docx skeleton: unexpected table template');
  const ends = [...rows.slice(2), close];
  const templates = rows.slice(1).map((start, i) => new Template(xml.slice(start, ends[i])));
  return { open: xml.slice(0, rows[1]), row: templates[0]!, rows: templates, close: xml.slice(close) };
}

interface Blocks {
  h1: Template;
  h2: Template;
  h3: Template;
  p: Template;
  quiet: Template;
  labelled: Template;
  lapper: ReturnType<typeof splitTable>;
  summary: ReturnType<typeof splitTable>;
}

function cutTemplates(xml: string): { head: string; tail: string; blocks: Blocks } {
  const body = findMarker(xml, 'body');
  const end = findMarker(xml, 'end');
  const block = (from: string, to: string) => new Template(between(xml, from, to));
  return {
    head: xml.slice(0, body.start),
    tail: xml.slice(end.end),
    blocks: {
      h1: block('h1', 'h2'),
      h2: block('h2', 'h3'),
      h3: block('h3', 'p'),
      p: block('p', 'quiet'),
      quiet: block('quiet', 'labelled'),
      labelled: block('labelled', 'lapper'),
      lapper: splitTable(between(xml, 'lapper', 'summary')),
      summary: splitTable(between(xml, 'summary', 'end')),
    },
  };
}

const starsByGroup = (report: ReportContext, item: ReportItem) =>
  [...report.groups.values()]
    .filter((group) => item.stars.byGroup.get(group.id))
    .map((group) => `${group.name}: ${item.stars.byGroup.get(group.id)}`)
    .join(', ');

/** The body: per perspective its summary table, each item with its lapper by theme, and the general box. */
async function* body(db: Queryable, report: ReportContext, b: Blocks): AsyncGenerator<string> {
  if (report.totals.notes === 0 && report.totals.stars === 0) return;
  const [lappRow, replyRow] = b.lapper.rows as [Template, Template];
  /**
   * The lapper of an item or box in one table, each followed by its replies; under theme headings
   * only when a planner named or confirmed at least one of their themes ([REPORT-9]).
   */
  const noteTables = function* (notes: ReportNote[], partLabel: boolean) {
    const themed = notes.some((note) => note.theme !== null);
    let theme: string | null | undefined;
    for (const note of notes) {
      if (theme === undefined || (themed && note.theme !== theme)) {
        if (theme !== undefined) yield b.lapper.close;
        theme = note.theme;
        if (themed) yield b.h3.fill(theme ?? NO_THEME);
        yield b.lapper.open;
      }
      const authors = new Map<string, string>();
      for (const { note: shown, depth } of threaded([note])) {
        authors.set(shown.id, shown.author);
        const cells = lapperCells(shown, { partLabel, ...(depth > 0 ? { replyTo: authors.get(shown.replyTo!) ?? '' } : {}) });
        yield (depth > 0 ? replyRow : lappRow).fill(...cells.flat().map(([text]) => text));
      }
    }
    if (theme !== undefined) yield b.lapper.close;
  };

  for await (const section of sections(db, report)) {
    if (section.type === 'perspective') {
      const { perspective } = section;
      const notes = perspective.items.reduce((sum, item) => sum + item.noteCount, 0) + perspective.box.noteCount;
      const stars = perspective.items.reduce((sum, item) => sum + item.stars.total, 0);
      yield b.h1.fill(perspective.title);
      yield b.p.fill(`${count(notes, 'lapp', 'lapper')} (en lapp på flere punkter telles på hvert) og ${count(stars, 'stjerne', 'stjerner')}.`);
      yield b.summary.open;
      for (const item of perspective.items) {
        yield b.summary.row.fill(item.label, item.text, String(item.stars.total), starsByGroup(report, item), String(item.noteCount), tallyText(item.tally));
      }
      yield b.summary.row.fill(GENERAL_BOX, 'Lapper som ikke gjelder ett bestemt punkt', '–', '', String(perspective.box.noteCount), tallyText(perspective.box.tally));
      yield b.summary.close;
    } else if (section.type === 'item') {
      const { item, notes } = section;
      yield b.h2.fill(`${item.label}: ${item.text}`);
      if (item.changed) {
        yield b.labelled.fill('Opprinnelig: ', item.originalText);
        yield b.labelled.fill('Revidert: ', item.text);
      }
      if (item.stars.total) yield b.labelled.fill('Stjerner: ', `${item.stars.total} (${starsByGroup(report, item)})`);
      if (notes.length === 0) yield b.quiet.fill('Ingen lapper.');
      else yield* noteTables(notes, false);
    } else {
      yield b.h2.fill(GENERAL_BOX);
      if (section.notes.length === 0) yield b.quiet.fill('Ingen generelle innspill.');
      else yield* noteTables(section.notes, true);
    }
  }
}

/** Gathers small strings into buffers of about 256 KiB for the deflater. */
async function* buffered(parts: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for await (const part of parts) {
    pending.push(part);
    size += part.length;
    if (size >= 256 * 1024) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      size = 0;
    }
  }
  if (pending.length) yield Buffer.from(pending.join(''), 'utf8');
}

/** Writes the report as a DOCX, streamed: the first bytes leave before the last lapp is read. */
export async function* docxReport(db: Queryable, report: ReportContext): AsyncGenerator<Buffer> {
  const files = unzip(await Packer.toBuffer(skeleton(report)));
  const document = files.find((file) => file.name === 'word/document.xml');
  if (!document) throw new Error('docx skeleton: no word/document.xml');
  const xml = document.data.toString('utf8');
  if (!xml.includes(WORD_NS_END)) throw new Error('docx skeleton: no body');
  const { head, tail, blocks } = cutTemplates(xml);

  const documentXml = async function* () {
    yield head;
    yield* body(db, report, blocks);
    yield tail;
  };
  // [Content_Types].xml first, as Office writes it; then the rest in docx's order.
  const ordered = [...files].sort((a, b) => Number(b.name === '[Content_Types].xml') - Number(a.name === '[Content_Types].xml'));
  const entries: ZipEntry[] = ordered.map((file) => (file === document ? { name: file.name, data: buffered(documentXml()) } : file));
  yield* zip(entries, report.generatedAt);
}
