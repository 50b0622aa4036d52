import { z } from 'zod';

const id = z.uuid();

/** One item a lapp may go on, with why. */
export const rankedItemSchema = z.object({
  itemId: id,
  score: z.number().describe('Higher is better; 1 when the lapp names the item or agrees with a lapp placed on it'),
  matched: z.array(z.string()).describe('Words of the lapp that matched the item or its placed lapper, or the phrase that named it'),
});

/** [PLACE-1] Where an unplaced lapp probably belongs. */
export const placementSuggestionSchema = z.object({
  noteId: id,
  text: z.string(),
  confidence: z.enum(['high', 'ambiguous', 'none']).describe('high: the best item is clearly ahead; ambiguous: the top three; none: stays in the box'),
  items: z.array(rankedItemSchema).describe('Items of the lapp’s own poster, best first'),
  accept: z.array(id).describe('What accepting links the lapp to: the best item, or every item the lapp names'),
});
export type PlacementSuggestionView = z.infer<typeof placementSuggestionSchema>;

export const placementSuggestionsSchema = z.object({ suggestions: z.array(placementSuggestionSchema) });
export type PlacementSuggestions = z.infer<typeof placementSuggestionsSchema>;

/** [PLACE-7] A participant a lapp names as its author, or a group an unlabelled poster's group probably is. */
export const authorSuggestionSchema = z.object({
  noteId: id,
  participantId: id,
  name: z.string(),
  evidence: z.string().describe('Why, in Norwegian, e.g. «Navnet «Dag E» står alene på linjen ved lappen»'),
});
export const groupSuggestionSchema = z.object({
  groupId: id.describe('The group made for an unlabelled poster'),
  groupName: z.string(),
  intoGroupId: id,
  intoGroupName: z.string(),
  reasons: z.array(z.string()).describe('The evidence, in Norwegian'),
});
export const identitySuggestionsSchema = z.object({
  authors: z.array(authorSuggestionSchema),
  groups: z.array(groupSuggestionSchema),
});
export type IdentitySuggestions = z.infer<typeof identitySuggestionsSchema>;





/** The most rows one accept-all request carries: the budget of a bulk accept ([PLACE-12], BULK_ACCEPT_MAX). */
export const ACCEPT_ROWS_MAX = 20_000;

/** [PLACE-13] The suggestions a planner reviewed on the placement page, accepted in one request. */
export const acceptPlacementsSchema = z.object({
  rows: z
    .array(z.object({ noteId: id, itemIds: z.array(id).min(1).max(50).describe('The items the reviewed suggestion links the lapp to') }))
    .min(1)
    .max(ACCEPT_ROWS_MAX),
});
export type AcceptPlacementsBody = z.infer<typeof acceptPlacementsSchema>;

/** What happened to one row: placed, placed already by someone faster (with where), or refused with the reason. */
export const acceptedRowSchema = z.object({
  noteId: id,
  outcome: z.enum(['placed', 'alreadyPlaced', 'refused']),
  itemIds: z.array(id).describe('Where the lapp is now: the accepted items, or the placement that won'),
  code: z.string().optional().describe('The error code of a refused row (src/domain/errors.ts)'),
  reason: z.string().optional(),
});
export const acceptPlacementsResultSchema = z.object({
  placed: z.number().int(),
  alreadyPlaced: z.number().int(),
  refused: z.number().int(),
  rows: z.array(acceptedRowSchema).describe('One per row asked for, in the same order'),
});
export type AcceptPlacementsResult = z.infer<typeof acceptPlacementsResultSchema>;
export type AcceptedRow = z.infer<typeof acceptedRowSchema>;
