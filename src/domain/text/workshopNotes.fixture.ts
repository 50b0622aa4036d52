import type { NoteText } from './noteText.js';

/** Lapper drawn from the Bærum 2040 workshop (demo/baerum-2040.txt), grouped by subject for tests. */
export const lapper = {
  farmland: [
    'Jordvern må inn som eget delmål',
    'Ta vare på dyrket mark og matjord',
    'Bevare matproduksjonsarealer',
    'Vi må ha en jordvernstrategi og få opp lokal matproduksjon',
    'Legge til rette for lokal matproduksjon',
    'Kulturlandskapet og fremtidig matproduksjon sikres gjennom et aktivt jordvern',
    'Lage jordvernplan som ivaretar bærekraftig jordvern',
    'Ta vare på dyrket mark for å sikre fremtidig matproduksjon',
    'Sikre jordvern for innbyggerne',
  ],
  housing: [
    'Flere boliger for unge',
    'Boligbygging ved kollektivknutepunkter',
    'Høye boligpriser er et problem for rekruttering',
    'Bygge studentboliger, for eksempel ved Flytårnet',
    'Rimeligere boligtyper som imøtekommer fremtidig boligbehov',
    'Boliger i alle deler av kommunen for å sikre mangfold',
    'Blande bolig og næring så man ikke får døde bydeler',
  ],
  transport: [
    'Kollektivtilbudet må bli bedre',
    'Ekspressbusser må på dagsorden igjen. Fjorden som kollektivåre må opp.',
    'Prøve ut elektriske matebusser og rullende fortau til kollektivknutepunkter',
    'Bussakser må også vurderes og defineres inn i arealplanleggingen',
    'Viktig å sikre billige kollektivtilbud på tvers av kommunen',
    'Bedre tverrgående kollektivdekning innad i Bærum',
    'Trygge gang- og sykkelveier til skole og kollektivtrafikk',
  ],
  climate: [
    'Klima og klimaendringer må løftes høyere',
    'Energi fra VEAS bør brukes lokalt, ikke sendes til Vestlandet',
    'Vekt på lokale fornybare energikilder',
    'Utvikle klimavennlige løsninger i samarbeid med næringslivet',
    'Kutte klimautslipp i tråd med EU sine klimamål',
    'Klimakrisen må presiseres tydeligere',
  ],
  business: [
    'Aktivt støtte bærekraftig næringsliv',
    'Bærum må beholde næringsområdene',
    'Legge til rette for et konkurransedyktig næringsliv',
    'I Bærum lytter man til næringslivet',
    'Forutsigbar samarbeidspartner for næringslivet',
    'Næringsklynger for bærekraftige næringer',
  ],
  nature: [
    'Sikre natur og naturmangfold gjennom arealnøytralitet',
    'Naturmangfold skal ivaretas gjennom en nullvisjon for arealbruk',
    'Kostnaden ved å ødelegge natur må med i beregningen',
    'Sikre viktige naturområder og naturverdier',
    'Flere grønne lunger og blomsterenger for bier og andre pollinerende insekter',
  ],
  other: [
    'Helt enig med Dina.',
    'Her brukte man mer enn 5 stjerner',
    'Fritidsklubber og møteplasser for unge, voksne og eldre må styrkes',
  ],
} as const;

/** The lapper above as notes with ids like "farmland-01". */
export function workshopNotes(): NoteText[] {
  return Object.entries(lapper).flatMap(([subject, texts]) =>
    texts.map((text, i) => ({ id: `${subject}-${String(i + 1).padStart(2, '0')}`, text })),
  );
}
