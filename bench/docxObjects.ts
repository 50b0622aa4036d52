/**
 * Why the DOCX report streams its body (src/server/reports/docx.ts): the cost of building 100,000
 * lapper as `docx` objects (a Paragraph/TableRow per lapp) and packing them with Packer.toBuffer.
 * No database; synthetic texts. Prints build and pack time and the process's peak RSS.
 *
 *   npx tsx bench/docxObjects.ts [--notes 100000] [--as table|paragraphs]
 */
import { parseArgs } from 'node:util';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

const { values } = parseArgs({ options: { notes: { type: 'string', default: '100000' }, as: { type: 'string', default: 'table' } } });
const notes = Number.parseInt(values.notes!, 10);
const asTable = values.as !== 'paragraphs';
const words = ['boliger', 'jordvern', 'matproduksjon', 'kollektivtransport', 'barnehager', 'sentrumsutvikling', 'klimatilpasning', 'friluftsliv'];

const cell = (...lines: string[]) => new TableCell({ children: lines.map((line) => new Paragraph(line)) });
const children: Array<Paragraph | Table> = [];
let rows: TableRow[] = [];
const flush = () => {
  if (!rows.length) return;
  const header = new TableRow({ tableHeader: true, children: ['Fra', 'Type', 'Innspill', 'Vurdering'].map((h) => cell(h)) });
  children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }));
  rows = [];
};

const started = performance.now();
for (let i = 0; i < notes; i++) {
  if (i % 100 === 0) {
    flush();
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, text: `Delmål ${i / 100 + 1}: Vi skal ha gode boliger for alle` }));
  }
  const text = `Innspill ${i}: mer vekt på ${words[i % 8]} og ${words[(i * 7) % 8]} i hele kommunen, særlig for unge og eldre.`;
  if (asTable) rows.push(new TableRow({ children: [cell(`Gruppe ${(i % 40) + 1}`, 'Kari Nordmann (R)'), cell('Kommentar'), cell(text, ''), cell('Tatt til følge', 'Ivaretatt i delmål 2')] }));
  else {
    children.push(new Paragraph({ children: [new TextRun({ text: `Gruppe ${(i % 40) + 1}, Kari Nordmann (R), kommentar: `, bold: true }), new TextRun(text)] }));
    children.push(new Paragraph({ children: [new TextRun({ text: 'Tatt til følge. ', italics: true }), new TextRun('Ivaretatt i delmål 2')] }));
  }
}
flush();
const built = performance.now();
const bytes = (await Packer.toBuffer(new Document({ sections: [{ children }] }))).length;
const packed = performance.now();
const result = {
  notes,
  as: asTable ? 'table' : 'paragraphs',
  buildMs: Math.round(built - started),
  packMs: Math.round(packed - built),
  totalMs: Math.round(packed - started),
  bytes,
  // The kernel's high-water mark of the process's resident memory, in MB.
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(JSON.stringify(result));
