import { z } from 'zod';

/** Key of the theme that collects notes that fit no other theme. */
export const OTHER_THEME_KEY = 'other';
/** Label of the theme that collects notes that fit no other theme. */
export const OTHER_THEME_LABEL = 'Øvrige';

export const themeSchema = z.object({
  /** Stable across recomputations while the theme's top terms stay the same, e.g. "dyrk-jordvern-matproduksjon". */
  key: z.string().min(1),
  /** Up to three terms joined with " · ", each as written most often, e.g. "jordvern · matproduksjon · dyrket mark". */
  label: z.string().min(1),
  /** The theme's most characteristic words, as written most often, strongest first. */
  terms: z.array(z.string()),
  /** The theme's notes, most typical first. */
  noteIds: z.array(z.string()),
});

/** A cluster of notes found in a workshop's input. */
export type Theme = z.infer<typeof themeSchema>;
