// Public API of Norwegian text analysis for the synthesis of workshop input (pure, no I/O).
export { tokenize, stem, isStopword, terms } from './tokens.js';
export { SearchIndex, searchIndexTerms, matchesQuery, matchTerm, type TermMatch } from './search.js';
export { computeThemes, type ThemeOptions } from './themes.js';
export { themeSchema, OTHER_THEME_KEY, OTHER_THEME_LABEL, type Theme } from './theme.js';
export { findNearDuplicates, type NearDuplicates } from './nearDuplicates.js';
export { applyThemeCorrections, correctThemes, namedThemeKeys, themeCorrectionSchema, type ThemeCorrection } from './corrections.js';
export type { NoteText } from './noteText.js';
