/**
 * Words of Norwegian municipal planning that name the same subject, so a lapp that says
 * "bedrifter" meets an item that says "næringsliv" [PLACE-9]. Each group is one subject, written
 * as a planner would read it on a poster; a word belongs to at most one group. A group is only
 * here when a planner would place a lapp with one word on an item with another without a second
 * thought: no loose associations ("klima" is not "energi"), and the opposite of a word counts
 * only where it names the same subject ("utrygg" is about trygghet, "siloer" about working
 * tverrfaglig). The list is general planning vocabulary, not words picked from one workshop's
 * misses: see docs/benchmarks.md for how it was checked on a held-out set.
 */
import { contentStem } from '../text/tokens.js';

export const RELATED_WORDS: readonly (readonly string[])[] = [
  // Businesses: the plans say "næringsliv", people write "bedrifter".
  ['næringsliv', 'bedrift', 'bedrifter', 'virksomhet', 'virksomheter', 'næringsaktør', 'næringsaktører', 'firma'],
  // Start-ups.
  ['gründer', 'gründere', 'gründervirksomhet', 'entreprenør', 'entreprenører', 'entreprenørskap', 'oppstartsbedrift', 'oppstartsbedrifter', 'startup', 'nyetablerte'],
  // Farmland and food.
  ['jordvern', 'dyrket', 'matjord', 'jordbruk', 'jordbruksjord', 'landbruk', 'matproduksjon', 'matvareproduksjon'],
  // Citizens taking part in planning.
  ['medvirkning', 'innbyggerdialog', 'innbyggermedvirkning', 'involvering', 'involvere', 'høring'],
  // Higher education.
  ['høyskole', 'høgskole', 'universitet', 'utdanningsinstitusjoner', 'utdanningsinstitusjon', 'studiested'],
  // Knowledge and skills of people and firms.
  ['kunnskap', 'kompetanse'],
  // Pollution and litter.
  ['forurensning', 'forurensing', 'forsøpling', 'søppel'],
  // Variety of species.
  ['naturmangfold', 'biomangfold', 'artsmangfold'],
  // Getting about.
  ['mobilitet', 'transport', 'transportmidler'],
  // Public transport.
  ['kollektivtrafikk', 'kollektivtransport', 'kollektivtilbud', 'kollektiv', 'buss', 'busser', 'bussakser', 'bane'],
  // Cycling and walking.
  ['sykkel', 'sykle', 'syklende', 'syklist', 'syklister'],
  ['gange', 'gående', 'fotgjenger', 'fotgjengere'],
  // Working in departments apart: the opposite of tverrfaglig.
  ['tverrfaglig', 'tverrfaglige', 'siloer', 'siloene', 'silotenkning'],
  // Conditions set for business.
  ['rammevilkår', 'rammebetingelser', 'vilkår'],
  // Safety, including its absence.
  ['trygg', 'trygge', 'trygt', 'trygghet', 'utrygg', 'utrygt', 'utrygghet'],
  // Jobs.
  ['arbeidsplass', 'arbeidsplasser', 'jobb', 'jobber', 'stilling', 'stillinger'],
  // Green spaces in built-up areas.
  ['grøntområder', 'grøntareal', 'grøntarealer', 'parker', 'parkarealer', 'friområder', 'grønne lunger'],
  // Dwellings.
  ['bolig', 'boliger', 'leilighet', 'leiligheter', 'botilbud'],
  // Young people.
  ['unge', 'ungdom', 'ungdommer'],
  // Inclusion, including its absence.
  ['inkludering', 'utenforskap'],
  // Purchasing.
  ['innkjøp', 'anskaffelser', 'anskaffelse', 'innkjøpsmakt'],
  // Spelling variants.
  ['atferd', 'adferd'],
];

/** Shorter stems are too often the beginning or end of an unrelated word. */
const MIN_AFFIX_STEM = 5;
const MIN_REST = 3;

export interface RelatedIndex {
  /** Stems related to a word's stem (the stem itself left out), or undefined. */
  related(stem: string): readonly string[] | undefined;
}

/**
 * The groups as stems. A word relates through its whole stem, or through a group word that starts
 * or ends it ("jordvernstrategi", "oppstartsbedrifter"): compounds are how Norwegian names a kind
 * of a thing.
 */
export function relatedIndex(groups: readonly (readonly string[])[] = RELATED_WORDS): RelatedIndex {
  const byStem = new Map<string, Set<string>>();
  for (const group of groups) {
    const stems = new Set<string>();
    for (const entry of group) {
      // A two-word entry ("grønne lunger") relates through its last, most specific word.
      const word = entry.split(' ').at(-1)!;
      const s = contentStem(word);
      if (s) stems.add(s);
    }
    for (const s of stems) {
      const set = byStem.get(s) ?? new Set<string>();
      for (const other of stems) if (other !== s) set.add(other);
      byStem.set(s, set);
    }
  }
  const affixes = [...byStem.keys()].filter((s) => s.length >= MIN_AFFIX_STEM);
  const cache = new Map<string, readonly string[] | undefined>();
  return {
    related(stem) {
      if (cache.has(stem)) return cache.get(stem);
      let found = byStem.get(stem) ? [...byStem.get(stem)!] : undefined;
      if (!found) {
        for (const affix of affixes) {
          if (stem.length - affix.length < MIN_REST) continue;
          if (!stem.startsWith(affix) && !stem.endsWith(affix)) continue;
          found = [...(found ?? []), affix, ...byStem.get(affix)!];
        }
      }
      cache.set(stem, found);
      return found;
    },
  };
}
