import type { NoteText } from './noteText.js';

/** Deterministic PRNG (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'bolig', 'jordvern', 'kollektiv', 'klima', 'natur', 'skole', 'barnehage', 'idrett', 'kultur', 'helse',
  'eldre', 'ungdom', 'næring', 'handel', 'energi', 'vann', 'avløp', 'sykkel', 'gange', 'parkering',
  'sentrum', 'fortetting', 'arkitektur', 'kulturminne', 'friluftsliv', 'strandsone', 'landbruk', 'digitalisering', 'frivillighet', 'beredskap',
];
const HEADS = ['plan', 'strategi', 'tilbud', 'område', 'bygging', 'politikk', 'tiltak', 'utvikling', 'arealer', 'behov', 'løsninger', 'satsing'];
const FUNCTION_WORDS = ['og', 'i', 'for', 'må', 'med', 'til', 'på', 'det', 'er', 'en', 'et', 'som', 'av', 'bør', 'skal', 'mer', 'ikke', 'at'];
const INFLECTIONS = ['', '', 'er', 'en', 'ene', 'et'];
const SYLLABLES = ['ba', 'ke', 'li', 'mo', 'nu', 'ra', 'se', 'ti', 'vo', 'sk', 'str', 'al', 'en', 'ing', 'dal', 'berg', 'vik', 'lund', 'ås', 'øy'];

/**
 * `count` Norwegian-looking notes of 5–35 words (20 on average) on 30 subjects, with a long
 * tail of rare words, generated from `seed` — the same arguments always give the same notes.
 */
export function syntheticNotes(count: number, seed = 2040): NoteText[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const rareWord = (): string => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join('');
  const notes: NoteText[] = [];
  for (let i = 0; i < count; i++) {
    // Squaring skews subjects towards the first ones, as real workshops have a few big themes.
    const subject = SUBJECTS[Math.floor(random() ** 2 * SUBJECTS.length)]!;
    const secondary = pick(SUBJECTS);
    const length = 5 + Math.floor(random() * 31);
    const words: string[] = [];
    for (let w = 0; w < length; w++) {
      const r = random();
      if (r < 0.3) words.push(pick(FUNCTION_WORDS));
      else if (r < 0.55) words.push(subject + pick(INFLECTIONS));
      else if (r < 0.7) words.push(subject + pick(HEADS));
      else if (r < 0.8) words.push(secondary + pick(INFLECTIONS));
      else words.push(rareWord());
    }
    notes.push({ id: `note-${String(i).padStart(6, '0')}`, text: words.join(' ') + '.' });
  }
  return notes;
}
