import type { Language } from './languages.js';
import type { Actor } from './actors.js';
import { DomainError } from './errors.js';

/** A workshop's life: prepared in draft, run while open, read-only for all but planners when closed. */
export const workshopStates = ['draft', 'open', 'closed'] as const;
export type WorkshopState = (typeof workshopStates)[number];

export const posterParts = ['goals', 'strategies'] as const;
export type PosterPart = (typeof posterParts)[number];

/** The state changes a planner may make; reopening a closed workshop is allowed, going back to draft is not. */
const transitions: Record<WorkshopState, readonly WorkshopState[]> = {
  draft: ['open'],
  open: ['closed'],
  closed: ['open'],
};

export function assertTransition(from: WorkshopState, to: WorkshopState): void {
  if (from === to) return;
  if (!transitions[from].includes(to)) {
    throw new DomainError('invalid_transition', `A ${from} workshop cannot become ${to}`, {
      current: { state: from, allowed: transitions[from] },
    });
  }
}

export const allowedTransitions = (from: WorkshopState): readonly WorkshopState[] => transitions[from];

/** Defaults from the paper workshop (the seed): five stars per poster, one per item. */
export const DEFAULT_STAR_BUDGET = 5;
export const DEFAULT_STARS_PER_ITEM = 1;
export const MAX_STAR_BUDGET = 100;
export const MAX_GROUPS = 50;

/** The seed's wording, used to pre-fill every new poster; planners edit it per poster. */
interface PosterTexts {
  instructions: string;
  boxPrompt: string;
  starsEnabled: boolean;
}

/** The texts a new workshop's posters start with, in bokmål (the Bærum workshop's own words). */
export const defaultPosterTexts: Record<PosterPart, PosterTexts> = {
  goals: {
    instructions:
      'Se gjennom forslagene til delmål, og vurder om innholdet svarer ut tidligere innspill til prioriteringer og fokusområder. ' +
      'Er det noe du vil fjerne, endre, legge til ved et delmål skriver du dette på en lapp og fester ved delmålet. ' +
      'Hvis du savner et delmål eller har noen generelle kommentarer skriver du dette på en lapp og plasserer den i boksen helt nederst.',
    boxPrompt: 'Noen delmål du savner? Eller har du noen generelle innspill til delmålene?',
    starsEnabled: false,
  },
  strategies: {
    instructions:
      'Se gjennom forslagene til strategier og arealstrategier, og marker så de strategiene du syns er viktigst å ta med videre med en stjerne. ' +
      'Hvis du savner en strategi eller har noen generelle kommentarer skriver du dette på en lapp og plasserer den i boksen helt nederst.',
    boxPrompt: 'Er det noe du vil legge til? Eller har du noen generelle innspill til strategiene?',
    starsEnabled: true,
  },
};

/** The same texts in nynorsk and English, for a workshop in that language. */
const translatedPosterTexts: Record<Exclude<Language, 'nb'>, Record<PosterPart, PosterTexts>> = {
  nn: {
    goals: {
      instructions:
        'Sjå gjennom forslaga til delmål, og vurder om innhaldet svarar ut tidlegare innspel til prioriteringar og fokusområde. ' +
        'Er det noko du vil fjerne, endre eller leggje til ved eit delmål, skriv du det på ein lapp og fester han ved delmålet. ' +
        'Saknar du eit delmål eller har generelle kommentarar, skriv du det på ein lapp og legg han i boksen heilt nedst.',
      boxPrompt: 'Er det delmål du saknar? Eller har du generelle innspel til delmåla?',
      starsEnabled: false,
    },
    strategies: {
      instructions:
        'Sjå gjennom forslaga til strategiar og arealstrategiar, og merk dei strategiane du synest er viktigast å ta med vidare, med ei stjerne. ' +
        'Saknar du ein strategi eller har generelle kommentarar, skriv du det på ein lapp og legg han i boksen heilt nedst.',
      boxPrompt: 'Er det noko du vil leggje til? Eller har du generelle innspel til strategiane?',
      starsEnabled: true,
    },
  },
  en: {
    goals: {
      instructions:
        'Read the proposed sub-goals and consider whether they answer earlier input on priorities and focus areas. ' +
        'If you want to remove, change or add something to a sub-goal, write it on a note and attach it to the sub-goal. ' +
        'If a sub-goal is missing or you have a general comment, write it on a note and put it in the box at the bottom.',
      boxPrompt: 'Is a sub-goal missing? Or do you have general input on the sub-goals?',
      starsEnabled: false,
    },
    strategies: {
      instructions:
        'Read the proposed strategies and land-use strategies, and mark the ones you find most important to take further with a star. ' +
        'If a strategy is missing or you have a general comment, write it on a note and put it in the box at the bottom.',
      boxPrompt: 'Anything you want to add? Or do you have general input on the strategies?',
      starsEnabled: true,
    },
  },
};

/** [I18N-3] The texts a new workshop's posters start with, in the workshop's language. */
export const posterTextsIn = (language: Language): Record<PosterPart, PosterTexts> => (language === 'nb' ? defaultPosterTexts : translatedPosterTexts[language]);

export const POSTER_TEXT_MAX = 2000;

/** Group names as on paper: "Gruppe 1", "Gruppe 2", … continuing after the highest number in use. */
export function nextGroupName(existing: readonly string[]): string {
  const numbers = existing.map((name) => /^gruppe\s+(\d+)$/i.exec(name.trim())?.[1]).filter(Boolean).map(Number);
  return `Gruppe ${Math.max(existing.length, ...numbers) + 1}`;
}

/** Join codes avoid letters and digits that are easy to mix up when read off a projector (0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

export function makeJoinCode(randomIndex: (max: number) => number): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomIndex(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** What people type: any case, with spaces or dashes ("abc 234", "ABC-234"). Null when it cannot be a code. */
export function normaliseJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]+/g, '');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const char of code) if (!JOIN_CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** Shown as "ABC 234" so it is easy to read aloud. */
export const formatJoinCode = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;

/**
 * Who may see a workshop's setup: planners everything; a facilitator the groups they facilitate
 * (and so the workshop); nobody else. Returns the ids of the groups the actor may see, or 'all'.
 */
export function readableGroups(
  actor: Actor | null,
  groups: ReadonlyArray<{ id: string; facilitatorUserId: string | null }>,
): 'all' | string[] {
  if (!actor) throw new DomainError('unauthenticated', 'Log in first');
  if (actor.kind !== 'user') throw new DomainError('forbidden', 'Only planners and the workshop’s facilitators may see its setup');
  if (actor.role === 'planner') return 'all';
  const mine = groups.filter((group) => group.facilitatorUserId === actor.userId).map((group) => group.id);
  if (mine.length === 0) throw new DomainError('forbidden', 'You facilitate no group in this workshop');
  return mine;
}
