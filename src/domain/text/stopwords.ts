import { nob } from 'stopword';

// `stopword` has no nynorsk list; this covers nynorsk function words that differ from bokmål.
const nynorsk = [
  'eg', 'ho', 'dei', 'dykk', 'dykkar', 'deira', 'hennar', 'ikkje', 'kva', 'kvar', 'kven', 'kvifor',
  'korleis', 'kvart', 'frå', 'vere', 'vore', 'vert', 'vart', 'verte', 'eit', 'ein', 'ei', 'desse',
  'berre', 'òg', 'au', 'medan', 'sidan', 'utan', 'sjølv', 'noko', 'nokon', 'nokre', 'mykje', 'meir',
  'fleire', 'same', 'hjå', 'mi', 'mine', 'di', 'dine', 'kvarandre', 'difor', 'derfor', 'då', 'ved',
];

// Bokmål function words the library list lacks (modal verbs, determiners, adverbs).
const bokmal = [
  'må', 'bør', 'burde', 'måtte', 'kan', 'skal', 'vil', 'få', 'får', 'fikk', 'gjør', 'gjøre',
  'gjennom', 'under', 'egen', 'eget', 'egne', 'annen', 'annet', 'andre', 'hverandre', 'derfor',
  'dessuten', 'altså', 'både', 'ca', 'osv', 'o.s.v', 'f.eks', 'feks', 'evt', 'bl.a', 'ift', 'mtp',
  'mer', 'mye', 'flere', 'mest', 'mindre', 'litt', 'svært', 'veldig', 'helt', 'gjerne', 'heller',
  'allerede', 'fortsatt', 'fremdeles', 'enda', 'ennå', 'igjen', 'dvs', 'hos', 'blant', 'per', 'pr',
  'via', 'mens', 'samt', 'dersom', 'derav', 'herunder', 'ikke', 'ingen', 'alt', 'hele', 'hvert',
];

/**
 * Surface forms of words every workshop note uses regardless of topic: the workshop's own
 * vocabulary (delmål, strategi, lapp), stance words (enig, viktig, bra) and planning verbs
 * ("legge til rette", "ta vare på", "sikre"). They link notes that share no subject and so
 * blur themes. Kept generic on purpose: place names and the municipality's own name are not
 * listed; terms used by a large share of a corpus are dropped by document frequency instead.
 * Compared by stem, so inflected forms ("delmålene", "strategien") go too.
 */
export const workshopNoise = [
  'viktig', 'viktigste', 'enig', 'uenig', 'bra', 'godt', 'god', 'bedre', 'best', 'stor', 'større',
  'ny', 'nye', 'nytt', 'del', 'delmål', 'hovedmål', 'mål', 'strategi', 'arealstrategi', 'punkt',
  'lapp', 'innspill', 'forslag', 'formulering', 'kommentar', 'tekst', 'kommune', 'kommunen',
  'kommunens', 'legge', 'rette', 'tilrette', 'tilrettelegge', 'ta', 'vare', 'sikre', 'sørge', 'fokus',
  'fokusere', 'satse', 'satsing', 'prioritere', 'prioritering', 'tenke',
  'savner', 'mangler', 'ønsker', 'trenger', 'mener', 'synes', 'syns', 'bli', 'bruke', 'ha',
  'inn', 'komme', 'se', 'sees', 'gi', 'gis', 'kunne', 'ok', 'ja', 'nei', 'fint', 'fin', 'tydelig',
  'tydeligere', 'konkret', 'konkrete', 'generelt', 'generell', 'grad', 'sammen', 'måte', 'sett',
  'sette', 'nok', 'faktisk', 'eksempel', 'eksempelvis', 'kanskje', 'ulike', 'forskjellige', 'stort',
  'handler', 'gjelder', 'spesielt', 'særlig', 'slags', 'dekket', 'tenkt',
  // Spoken filler and vague verbs seen in the Bærum lapper ("egentlig går det jo …").
  'jo', 'egentlig', 'går', 'gå', 'gjør', 'gjøre', 'gir', 'bort', 'rundt', 'lite', 'litt', 'vanskelig',
  'vel', 'vs', 'greier', 'klare', 'formuleres', 'løftes', 'støttes', 'følge', 'forhold', 'omfatte',
];

/** Function words of bokmål and nynorsk, exact lowercase forms. */
export const functionWords: ReadonlySet<string> = new Set([...nob, ...nynorsk, ...bokmal]);
