/**
 * A second, held-out set of hand labels on the Bærum seed (same format as
 * `BAERUM_PLACEMENT_LABELS`): other lapper than the first set, labelled from what they say before
 * the rules of the second round (synonyms, item numbers in the text, …) were written, and not
 * looked at while writing them. It is the check that the rules tuned on the first set are not
 * fitted to it; docs/benchmarks.md gives the figures on both.
 */
import type { PlacementLabel } from './baerumLabels.fixture.js';

export const BAERUM_HELD_OUT_LABELS: PlacementLabel[] = [
  // Økonomisk, Del 1
  { poster: 0, opening: 'Aktivt støtte bærekraftig næringsliv', items: ['sub_goal 2'] },
  { poster: 0, opening: 'Kortreist samfunn Samarbeid om forskning', items: ['sub_goal 1'] },
  { poster: 1, opening: 'Legge til rette for heltid', items: ['sub_goal 3'] },
  { poster: 1, opening: 'I Bærum lytter man til næringslivet', items: ['sub_goal 4', 'sub_goal 1'] },
  { poster: 1, opening: 'Det tilrettelegges hensiktsmessige', items: ['sub_goal 4'] },
  { poster: 1, opening: 'legge tilrette for små og mellomsstore', items: ['sub_goal 4', 'sub_goal 2'] },
  { poster: 1, opening: 'Heltidsarbeid er alfa omega', items: ['sub_goal 3'] },
  { poster: 1, opening: 'Kommunen skal legge til rette for mindre og nye', items: ['sub_goal 4', 'sub_goal 2'] },
  { poster: 2, opening: 'Legge til rette for ulike', items: ['sub_goal 4'] },
  { poster: 2, opening: 'Vi har store teknologibedrifter', items: ['sub_goal 2'] },
  { poster: 2, opening: 'HVordan skape arbeidsplasser', items: ['sub_goal 3'] },
  { poster: 3, opening: 'Sørge for at næringslivet har god infrastruktur', items: ['sub_goal 4'] },
  { poster: 3, opening: 'Jobbe for å etablere høyskole', items: ['sub_goal 1'] },
  { poster: 3, opening: 'Sørge for at NAV', items: ['sub_goal 3'] },
  { poster: 3, opening: 'Stimulere til å tiltrekke', items: ['sub_goal 4'] },
  { poster: 3, opening: 'Gode arealer og muligheter for etablering', items: ['sub_goal 4'] },
  { poster: 3, opening: 'Sørge for at lokale bedrifter tilbyr sommerjobber', items: ['sub_goal 3'] },
  { poster: 3, opening: 'Økonomisk vekst er grunnleggende', items: ['main_goal 1'] },
  { poster: 3, opening: 'Gode vilkår og betingelser', items: ['sub_goal 4'] },
  { poster: 3, opening: 'Handelsnæringen har mulighet', items: ['sub_goal 3', 'sub_goal 1'] },
  { poster: 3, opening: 'Tilrettelegg for innovasjon', items: ['sub_goal 2', 'sub_goal 1'] },
  // Økonomisk, Del 2
  { poster: 5, opening: 'Det tilrettelegges hensiktsmessige', items: ['land_use_strategy 2', 'strategy 2'] },
  { poster: 5, opening: 'Utvikle attraktive sentrumsområder', items: ['land_use_strategy 5'] },
  { poster: 5, opening: 'Attraktive sentrumsområder der', items: ['land_use_strategy 5', 'land_use_strategy 4'] },
  { poster: 5, opening: 'hensiktsmessige lokaler for alle typer', items: ['strategy 2'] },
  { poster: 7, opening: 'Starte med fag', items: ['strategy 7', 'strategy 6'] },
  { poster: 7, opening: 'Legge til rette for gode rammevilkår', items: ['strategy 2'] },
  { poster: 7, opening: 'Vi er nødt til å få til mer', items: ['land_use_strategy 1'] },
  { poster: 7, opening: 'Kunnskapspåfyll til ansatte', items: ['strategy 3', 'strategy 6'] },
  // Sosial, Del 1
  { poster: 8, opening: 'Bærum er et levende og attraktivt', items: ['main_goal 1'] },
  { poster: 9, opening: 'Bærum er en raus kommune', items: ['sub_goal 2'] },
  { poster: 9, opening: 'I Bærum kommune skal alle kunne bosette', items: ['main_goal 1'] },
  { poster: 10, opening: 'Fokus på utenforskap', items: ['sub_goal 2'] },
  { poster: 11, opening: 'Skape levende sentrum', items: ['sub_goal 4'] },
  { poster: 11, opening: 'Hyggelige by og gatemiljø', items: ['sub_goal 4'] },
  { poster: 11, opening: 'Differensiere innsatsen', items: ['sub_goal 1'] },
  { poster: 11, opening: 'Nullvisjon for rasisme', items: ['sub_goal 2'] },
  { poster: 11, opening: 'Lett for alle å komme seg til møteplasser', items: ['sub_goal 4'] },
  { poster: 11, opening: 'Trygge arbeidsplasser og et aktivt', items: ['sub_goal 4'] },
  { poster: 11, opening: 'Mennesker med hull i CVen', items: ['sub_goal 3'] },
  { poster: 11, opening: 'Nullvisjon for kriminalitet', items: ['sub_goal 2', 'sub_goal 4'] },
  { poster: 11, opening: 'Tilrettelegge for et godt idrettstilbud', items: ['sub_goal 4', 'sub_goal 3'] },
  { poster: 11, opening: 'Alder er kun et tall', items: ['sub_goal 3'] },
  { poster: 11, opening: 'Nullvisjon for mobbing', items: ['sub_goal 1'] },
  { poster: 11, opening: 'Unge i Bærum skal en god psykisk', items: ['sub_goal 1', 'sub_goal 3'] },
  { poster: 11, opening: 'Aktivt arbeid mot rasisme', items: ['sub_goal 2'] },
  { poster: 11, opening: 'Fordele kommunale boliger', items: ['sub_goal 2'] },
  // Sosial, Del 2
  { poster: 13, opening: 'Alle skal ha tilgang til ren luft', items: ['land_use_strategy 8'] },
  { poster: 13, opening: 'Kari møteplasser for ungdom', items: ['strategy 8', 'land_use_strategy 2', 'land_use_strategy 5'] },
  { poster: 13, opening: '..gjennom bruk av arkitektur', items: ['land_use_strategy 7'] },
  { poster: 14, opening: 'Skape kontinuerlige dialogarenaer', items: ['strategy 4'] },
  { poster: 15, opening: 'Større utbygninger som for eksempel', items: ['land_use_strategy 3'] },
  { poster: 15, opening: '· Utbygging langs høyfrekvente', items: ['land_use_strategy 3'] },
  { poster: 15, opening: 'Dette bør løftes', items: ['land_use_strategy 3'] },
  { poster: 15, opening: 'Legge fakta til grunn', items: ['land_use_strategy 3'] },
  // Klima og miljø, Del 1
  { poster: 16, opening: 'Utvikle kortreist samfunn', items: ['sub_goal 4', 'sub_goal 3'] },
  { poster: 16, opening: 'Og legge til rette for denne endringen', items: ['sub_goal 3'] },
  { poster: 17, opening: 'Kari, det blågrønne', items: ['sub_goal 1'] },
  { poster: 18, opening: 'Klima- og miljø er alles ansvar', items: ['main_goal 1', 'sub_goal 3'] },
  { poster: 18, opening: 'Synes godt man kan ta med', items: ['main_goal 1'] },
  { poster: 18, opening: 'stimuler alle til å tenke', items: ['sub_goal 3'] },
  // Klima og miljø, Del 2
  { poster: 19, opening: 'Bevare strandsonen', items: ['strategy 1', 'land_use_strategy 8'] },
  { poster: 19, opening: 'Bærums kulturlandskap', items: ['land_use_strategy 7', 'land_use_strategy 8'] },
  { poster: 19, opening: 'Sikre realistisk veikapasitet', items: ['land_use_strategy 5'] },
  { poster: 20, opening: 'Naturmangfold skal ivaretas', items: ['land_use_strategy 4', 'land_use_strategy 8'] },
  { poster: 21, opening: 'Bevare Bærums identitet', items: ['strategy 1', 'land_use_strategy 8'] },
  { poster: 21, opening: 'Legge til rette for levende sentrumsområder', items: ['land_use_strategy 3', 'strategy 7'] },
  { poster: 21, opening: "''Labbe''", items: ['land_use_strategy 6', 'strategy 5'] },
  // Bærum som organisasjon, Del 1
  { poster: 22, opening: 'Bærum må være konkurransedykti', items: ['sub_goal 3'] },
  { poster: 22, opening: 'Indirekte utslipp', items: ['sub_goal 4'] },
  { poster: 24, opening: 'Bærum er en økonomisk ansvarlig', items: ['sub_goal 4'] },
  { poster: 24, opening: 'Bærum kommune styre på en effektiv', items: ['main_goal 1', 'sub_goal 2'] },
  { poster: 24, opening: 'Det må være lett å følge', items: ['sub_goal 1'] },
  // Bærum som organisasjon, Del 2
  { poster: 25, opening: 'Få til bedre sirkulær', items: ['strategy 11', 'strategy 9'] },
  { poster: 25, opening: 'Planlegge bygg for flere mulige formål', items: ['land_use_strategy 2', 'strategy 10'] },
  { poster: 25, opening: 'Hele faste stillinger', items: ['strategy 7'] },
  { poster: 27, opening: 'Dette krever en helt annen', items: ['strategy 8'] },
  { poster: 27, opening: 'Klimatilpassede bygg', items: ['land_use_strategy 2'] },
  { poster: 27, opening: 'Utnyttelse Digitalisering', items: ['strategy 2'] },
];
