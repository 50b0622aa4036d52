import { describe, expect, it } from 'vitest';
import { csvField, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads semicolon files with quoted separators, line breaks and quotes', () => {
    const { separator, rows } = parseCsv('\uFEFFgruppe;tekst\r\nGruppe 1;"Bolig; næring"\nGruppe 2;"To\nlinjer med ""sitat"""\n');
    expect(separator).toBe(';');
    expect(rows).toEqual([
      ['gruppe', 'tekst'],
      ['Gruppe 1', 'Bolig; næring'],
      ['Gruppe 2', 'To\nlinjer med "sitat"'],
    ]);
  });

  it('takes a comma as separator when the header uses commas', () => {
    expect(parseCsv('a,b\n1,2').rows).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('writes a field back so that it reads the same', () => {
    const value = 'Et "sitat"; og\nlinje';
    expect(parseCsv(`x;${csvField(value)}`).rows[0]![1]).toBe(value);
  });
});
