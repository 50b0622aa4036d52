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




