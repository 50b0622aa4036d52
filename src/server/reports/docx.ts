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
import { sections, threaded, type ReportContext, type ReportItem, type ReportNote, type Tally } from './reportData.js';
import { reportText } from '../../contract/reports.schema.js';
import { localeOf } from '../../domain/languages.js';
import type { ReportWords } from './reportTexts.js';
import { unzip, zip, type ZipEntry } from './zip.js';

/**
 * The report for the political case (saksframlegg) as a Word document.
 *
 * The `docx` package writes the whole package — styles with real heading styles (Word's outline),
 * the report's language (nb-NO, nn-NO or en-GB), properties, footer, the title page and the summary — and, once, every kind of
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

const lapperColumns = (partyShown: boolean, { t }: ReportWords): ColumnSpec[] => [
  [t(partyShown ? 'report.col.fromParty' : 'report.col.from'), 1800],
  [t('report.col.kind'), 1850],
  [t('report.col.input'), 'rest'],
  [t('report.col.assessment'), 2100],
];

/** The blocks the body repeats, each once, between markers. */
function templateBlocks(partyShown: boolean, words: ReportWords) {
  const { t } = words;
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
    table(lapperColumns(partyShown, words), [{ cells: lapp(false) }, { cells: lapp(true), reply: true }]),
    marker('summary'),
    table(
      [
        [t('report.col.item'), 1650],
        [t('report.col.text'), 'rest'],
        [t('report.col.stars'), 1050],
        [t('syn.stars.byGroup'), 1500],
        [t('report.col.lapper'), 850],
        [t('report.col.assessment'), 1300],
      ],
      [{ cells: [[p(0, { bold: true })], [p(1)], [p(2)], [p(3)], [p(4)], [p(5)]] }],
    ),
    marker('end'),
  ];
}

const tallyOrder = ['accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope', 'unassessed'] as const;

/** "3 tatt til følge, 1 ikke vurdert". */
const tallyText = (tally: Tally, words: ReportWords) =>
  tallyOrder
    .filter((status) => tally.get(status))
    .map((status) => `${words.number(tally.get(status)!)} ${words.status(status === 'unassessed' ? null : status).toLocaleLowerCase(words.language)}`)
    .join(', ');

/** The title page and the summary, as ordinary docx content. */
function front(report: ReportContext): Array<Paragraph | Table> {
  const { workshop, plan, totals, words } = report;
  const { t, plural } = words;
  const facts: Array<[string, string]> = [
    [t('report.fact.plan'), plan.title],
    [t('report.fact.municipality'), plan.municipality],
    [t('report.fact.period'), t('report.fact.periodUntil', { year: plan.horizonYear })],
    [t('report.fact.workshop'), workshop.title],
    [t('report.fact.date'), workshop.date ? words.calendarDate(workshop.date) : t('report.fact.dateUnset')],
    [t('report.fact.generated'), words.longDate(report.generatedAt)],
  ];
  const summary: Array<Paragraph | Table> = [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, text: t('report.summary') })];
  if (totals.notes === 0 && totals.stars === 0) {
    summary.push(new Paragraph(t('syn.empty')));
    return [titlePage(), ...facts.map(fact), ...summary];
  }
  summary.push(
    new Paragraph(
      totals.notes === 0
        ? t('syn.empty')
        : t('report.summary.totals', {
            notes: plural('syn.notes', totals.notes),
            groups: plural('syn.stars.groups', totals.groups),
            assessed: words.number(totals.assessed),
          }),
    ),
  );
  if (totals.notes > 0) summary.push(new Paragraph(t('report.summary.assessments', { tally: tallyText(totals.byStatus, words) })));
  if (totals.stars > 0) summary.push(new Paragraph(plural('report.summary.starsGiven', totals.stars)));
  summary.push(
    new Paragraph({
      children: [
        new TextRun({
          italics: true,
          text: [t('report.summary.leftOut'), ...(workshop.partyInReports ? [] : [t('report.summary.partyLeftOut')])].join(' '),
        }),
      ],
    }),
  );
  return [titlePage(), ...facts.map(fact), ...summary, ...participantsSection(report), ...consensusSection(report), ...revisionsSection(report)];

  function titlePage() {
    return new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(reportText(t('report.title', { workshop: workshop.title })))] });
  }
  function fact([label, value]: [string, string]) {
    return new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(reportText(value))] });
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
  const { t, plural } = report.words;
  const columns: ColumnSpec[] = [
    [t('report.col.group'), 1500],
    [t('report.col.participant'), 'rest'],
    [t('report.col.committee'), 2600],
    ...(partyShown ? ([[t('report.col.party'), 2000]] as ColumnSpec[]) : []),
  ];
  const rows = groups.flatMap((group) =>
    group.participants.map((person, i) => ({
      cells: [
        i === 0 ? [cellText(reportText(group.name), { bold: true }), ...(group.facilitator ? [cellText(reportText(t('report.participants.facilitator', { name: group.facilitator })), { italics: true })] : [])] : [cellText('')],
        [cellText(reportText(person.name))],
        [cellText(reportText(person.committee ?? ''))],
        ...(partyShown ? [[cellText(reportText(person.party ?? ''))]] : []),
      ],
    })),
  );
  return [
    heading(HeadingLevel.HEADING_1, t('report.participants'), true),
    plain(
      t('report.participants.line', {
        people: plural('report.participants.people', people),
        groups: plural('syn.stars.groups', groups.filter((g) => g.participants.length).length),
      }),
    ),
    table(columns, rows),
  ];
}

/** [SYN-2] The consensus ranking: the starred items, most widely starred first. */
function consensusSection(report: ReportContext): Array<Paragraph | Table> {
  if (report.consensus.length === 0) return [];
  const partyShown = report.workshop.partyInReports;
  const { t } = report.words;
  const columns: ColumnSpec[] = [
    [t('report.col.number'), 650],
    [t('report.col.item'), 1900],
    [t('report.col.text'), 'rest'],
    [t('report.col.groups'), 1050],
    ...(partyShown ? ([[t('report.col.parties'), 1000]] as ColumnSpec[]) : []),
    [t('report.col.stars'), 1050],
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
    heading(HeadingLevel.HEADING_1, t('report.consensus'), true),
    plain(t(partyShown ? 'report.consensus.introParty' : 'report.consensus.intro')),
    table(columns, rows),
  ];
}

/** [SYN-6] Each change to the plan's text since the workshop: before → after, and the lapper behind it. */
function revisionsSection(report: ReportContext): Array<Paragraph | Table> {
  if (report.revisions.length === 0) return [];
  const partyShown = report.workshop.partyInReports;
  const { words } = report;
  const { t } = words;
  const labelled = (label: string, text: string) => new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(reportText(text))] });
  return [
    heading(HeadingLevel.HEADING_1, t('report.revisions'), true),
    plain(t('report.revisions.intro')),
    ...report.revisions.flatMap((revision) => [
      heading(HeadingLevel.HEADING_2, `${revision.label}: ${t(`report.revision.${revision.action}`).toLocaleLowerCase(words.language)}`),
      ...(revision.before !== null ? [labelled(t('report.revision.before'), revision.before)] : []),
      ...(revision.after !== null ? [labelled(t('report.revision.after'), revision.after)] : []),
      plain(`${words.longDate(revision.createdAt)}.`, { italics: true }),
      ...(revision.notes.length === 0
        ? [plain(t('report.revision.noBasis'), { italics: true })]
        : [
            new Paragraph({ keepNext: true, children: [new TextRun({ text: words.plural('report.revision.basis', revision.notes.length), bold: true })] }),
            table(
              lapperColumns(partyShown, words),
              revision.notes.map((note) => ({ cells: lapperCells(note, words).map((cell) => cell.map(([text, options]) => cellText(reportText(text), options))) })),
            ),
          ]),
    ]),
  ];
}

/** The four cells of a lapp's row — who, what kind, the text, the assessment — as (text, style) pairs. */
function lapperCells(
  note: ReportNote,
  words: ReportWords,
  options: { partLabel?: boolean; replyTo?: string } = {},
): Array<Array<[string, { bold?: boolean; italics?: boolean }]>> {
  const { t } = words;
  const author = note.party ? `${note.author} (${note.party})` : note.author;
  const kind = [options.replyTo ? t('syn.replyTo', { name: options.replyTo }) : note.kind, options.partLabel ? note.part : '', note.placed ? '' : t('report.unplaced')]
    .filter(Boolean)
    .join(', ');
  const agree = note.agreeCount ? words.plural('syn.agree', note.agreeCount) : '';
  return [
    [[note.group, { bold: true }], [author, {}]],
    [[kind, {}]],
    [[note.text, {}], [agree, { italics: true }]],
    [[note.statusLabel, { bold: true }], [note.justification, {}]],
  ];
}

function skeleton(report: ReportContext): Document {
  const { t, language } = report.words;
  const [pageBefore = '', pageBetween = '', pageAfter = ''] = t('report.pageOf').split(/\{page\}|\{pages\}/);
  return new Document({
    title: t('report.title', { workshop: report.workshop.title }),
    subject: `${report.plan.title}, ${report.plan.municipality}`,
    description: t('report.description'),
    creator: 'Innspill',
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22, language: { value: localeOf[language] } }, paragraph: { spacing: { after: 80 } } },
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
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [pageBefore, PageNumber.CURRENT, pageBetween, PageNumber.TOTAL_PAGES, pageAfter] })] })],
          }),
        },
        children: [...front(report), marker('body'), ...templateBlocks(report.workshop.partyInReports, report.words), new Paragraph('')],
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
  const { words } = report;
  const { t, plural } = words;
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
        if (themed) yield b.h3.fill(theme ?? t('report.noTheme'));
        yield b.lapper.open;
      }
      const authors = new Map<string, string>();
      for (const { note: shown, depth } of threaded([note])) {
        authors.set(shown.id, shown.author);
        const cells = lapperCells(shown, words, { partLabel, ...(depth > 0 ? { replyTo: authors.get(shown.replyTo!) ?? '' } : {}) });
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
      yield b.p.fill(t('report.perspective.totals', { notes: plural('syn.notes', notes), stars: plural('syn.stars', stars) }));
      yield b.summary.open;
      for (const item of perspective.items) {
        yield b.summary.row.fill(item.label, item.text, words.number(item.stars.total), starsByGroup(report, item), words.number(item.noteCount), tallyText(item.tally, words));
      }
      yield b.summary.row.fill(t('syn.generalBox'), t('report.box.row'), '–', '', words.number(perspective.box.noteCount), tallyText(perspective.box.tally, words));
      yield b.summary.close;
    } else if (section.type === 'item') {
      const { item, notes } = section;
      yield b.h2.fill(`${item.label}: ${item.text}`);
      if (item.changed) {
        yield b.labelled.fill(`${t('report.item.original')}: `, item.originalText);
        yield b.labelled.fill(`${t('report.item.revised')}: `, item.text);
      }
      if (item.stars.total) yield b.labelled.fill(`${t('report.item.stars')}: `, `${words.number(item.stars.total)} (${starsByGroup(report, item)})`);
      if (notes.length === 0) yield b.quiet.fill(t('report.item.noNotes'));
      else yield* noteTables(notes, false);
    } else {
      yield b.h2.fill(t('syn.generalBox'));
      if (section.notes.length === 0) yield b.quiet.fill(t('report.box.noNotes'));
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
