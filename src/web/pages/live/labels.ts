import type { BoardPoster, LiveNote } from '../../../contract/protocol.js';
import type { Translate } from '../../i18n/i18n.js';

type BoardItem = BoardPoster['items'][number];

/** "Delmål 2", "Strategi 11", "Arealstrategi 3": numbered by position, never typed. */
export const itemLabel = (item: Pick<BoardItem, 'kind' | 'number'>, t: Translate) =>
  item.kind === 'main_goal' ? t('kind.main_goal') : `${t(`kind.${item.kind}`)} ${item.number}`;

/** "Del 1: Delmål" / "Del 2: Strategier". */
export const partLabel = (poster: Pick<BoardPoster, 'part'>, t: Translate) => t(poster.part === 'goals' ? 'live.part.goals' : 'live.part.strategies');

/** "Sosial bærekraft – Del 1: Delmål". */
export const posterTitle = (poster: Pick<BoardPoster, 'part' | 'perspectiveTitle'>, t: Translate) => `${poster.perspectiveTitle} – ${partLabel(poster, t)}`;

/** Where a lapp sits: its items' labels, or the general box. */
export function placeLabel(poster: BoardPoster | undefined, itemIds: readonly string[], t: Translate): string {
  const labels = itemIds.map((id) => poster?.items.find((item) => item.id === id)).filter((item): item is BoardItem => Boolean(item));
  return labels.length > 0 ? labels.map((item) => itemLabel(item, t)).join(', ') : t('live.generalBox');
}

/** The kind badge: "Kommentar", "Alternativ formulering", "Forslag til ny strategi" … */
export function noteKindLabel(note: Pick<LiveNote, 'kind' | 'proposedItemKind'>, t: Translate): string {
  if (note.kind === 'new_item') return t(note.proposedItemKind ? `live.kind.new_item.${note.proposedItemKind}` : 'live.kind.new_item');
  return t(`live.kind.${note.kind}`);
}

/** The name to show for a lapp's author. */
export const authorName = (note: Pick<LiveNote, 'author' | 'kind'>, t: Translate) =>
  note.author.name ?? (note.kind === 'facilitator_note' ? t('live.facilitator') : t('live.unknownAuthor'));

/** "4:05" for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The first words of a text, for announcements and confirmations. */
export const excerpt = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
