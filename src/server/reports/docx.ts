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
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Queryable } from '../db/database.js';
import { sections, type ReportContext, type ReportItem, type ReportNote, type Tally } from './reportData.js';
import { assessmentLabels, calendarDate, count, GENERAL_BOX, longDate, NO_INPUT, NO_THEME, NOT_ASSESSED } from './reports.schema.js';
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
  return value
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '')
    .replace(/\r\n?|\n/g, '</w:t><w:br/><w:t xml:space="preserve">')
    .replace(/\t/g, '</w:t><w:tab/><w:t xml:space="preserve">');
}

const slot = (n: number) => `${SLOT}${n}${SLOT}`;
const marker = (name: string) => new Paragraph(`${SLOT}MARK:${name}${SLOT}`);

const headerShading = { fill: 'E7E6E6', type: ShadingType.CLEAR, color: 'auto' } as const;

/** A table with a repeating header row; widths in twips add up to the A4 text width, 9026. */
function table(headers: string[], widths: number[], row: Paragraph[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    rows: [
      // tableHeader: Word repeats this row on every page the table runs over.
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: headers.map(
          (header, i) =>
            new TableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              shading: headerShading,
              children: [new Paragraph({ children: [new TextRun({ text: header, bold: true })] })],
            }),
        ),
      }),
      new TableRow({
        cantSplit: true,
        children: row.map((paragraphs, i) => new TableCell({ width: { size: widths[i]!, type: WidthType.DXA }, children: paragraphs })),
      }),
    ],
  });
}

const p = (n: number, options: { bold?: boolean; italics?: boolean } = {}) => new Paragraph({ children: [new TextRun({ text: slot(n), ...options })] });

/** The blocks the body repeats, each once, between markers. */
function templateBlocks(partyShown: boolean) {
  return [
    marker('h1'),
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(slot(0))] }),
    marker('h2'),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(slot(0))] }),
    marker('h3'),
    new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(slot(0))] }),
    marker('p'),
    p(0),
    marker('quiet'),
    p(0, { italics: true }),
    marker('labelled'),
    new Paragraph({ children: [new TextRun({ text: slot(0), bold: true }), new TextRun(slot(1))] }),
    marker('lapper'),
    table(
      [partyShown ? 'Fra (parti)' : 'Fra', 'Type', 'Innspill', 'Vurdering'],
      [2000, 1500, 3326, 2200],
      [[p(0, { bold: true }), p(1)], [p(2)], [p(3), p(4, { italics: true })], [p(5, { bold: true }), p(6)]],
    ),
    marker('summary'),
    table(
      ['Punkt', 'Tekst', 'Stjerner', 'Stjerner per gruppe', 'Lapper', 'Vurdering'],
      [1150, 2976, 900, 1800, 800, 1400],
      [[p(0, { bold: true })], [p(1)], [p(2)], [p(3)], [p(4)], [p(5)]],
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
function front(report: ReportContext): Paragraph[] {
  const { workshop, plan, totals } = report;
  const facts: Array<[string, string]> = [
    ['Plan: ', plan.title],
    ['Kommune: ', plan.municipality],
    ['Planperiode: ', `fram til ${plan.horizonYear}`],
    ['Verksted: ', workshop.title],
    ['Dato for verkstedet: ', workshop.date ? calendarDate(workshop.date) : 'ikke satt'],
    ['Rapporten er laget: ', longDate(report.generatedAt)],
  ];
  const summary: Paragraph[] = [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, text: 'Sammendrag' })];
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
  return [titlePage(), ...facts.map(fact), ...summary];

  function titlePage() {
    return new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`Innspill fra ${workshop.title}`)] });
  }
  function fact([label, value]: [string, string]) {
    return new Paragraph({ children: [new TextRun({ text: label, bold: true }), new TextRun(value)] });
  }
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

/** A table template split into its opening (properties, grid, header row), one row, and its close. */
function splitTable(xml: string) {
  const rows = [...xml.matchAll(/<w:tr[ >]/g)].map((m) => m.index);
  const close = xml.lastIndexOf('</w:tbl>');
  if (rows.length !== 2 || close < 0) throw new Error('docx skeleton: unexpected table template');
  return { open: xml.slice(0, rows[1]), row: new Template(xml.slice(rows[1], close)), close: xml.slice(close) };
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
  const noteTables = function* (notes: ReportNote[], partLabel: boolean) {
    let theme: string | null | undefined;
    for (const note of notes) {
      if (note.theme !== theme) {
        if (theme !== undefined) yield b.lapper.close;
        theme = note.theme;
        yield b.h3.fill(theme ?? NO_THEME);
        yield b.lapper.open;
      }
      const author = note.party ? `${note.author} (${note.party})` : note.author;
      const kind = [note.kind, partLabel ? note.part : '', note.placed ? '' : 'ikke plassert'].filter(Boolean).join(', ');
      const agree = note.agreeCount ? `${count(note.agreeCount, 'enig', 'enige')}` : '';
      yield b.lapper.row.fill(note.group, author, kind, note.text, agree, note.statusLabel, note.justification);
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
