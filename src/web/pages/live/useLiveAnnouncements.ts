import { useCallback } from 'react';
import type { LiveEvent, Snapshot } from '../../../contract/protocol.js';
import { useAnnounce } from '../../components/Announcer.js';
import { useI18n } from '../../i18n/i18n.js';
import { authorName, excerpt, placeLabel } from './labels.js';

/**
 * Turns what others do into polite announcements ("Ny lapp fra Dina på Delmål 2") without moving
 * focus. Only the poster on screen (when one is) and the group's own things are announced; this
 * device's own changes are not.
 */
export function useLiveAnnouncements(posterId: string | null, groupId: string | null) {
  const { t } = useI18n();
  const announce = useAnnounce();

  return useCallback(
    (event: LiveEvent, own: boolean, current: Snapshot) => {
      if (own) return;
      if (groupId && event.groupId && event.groupId !== groupId) return;
      const noteOf = (noteId: string) => current.notes.find((note) => note.id === noteId);
      const posterOf = (id: string | undefined) => current.posters.find((poster) => poster.id === id);
      const onShownPoster = (id: string | undefined) => !posterId || id === posterId;
      switch (event.type) {
        case 'note.created': {
          const note = event.note;
          if (!onShownPoster(note.posterId)) return;
          const name = authorName(note, t);
          if (note.kind === 'facilitator_note') return announce(t('live.announce.notat'));
          const place = placeLabel(posterOf(note.posterId), note.itemIds, t);
          return announce(t(note.replyToNoteId ? 'live.announce.reply' : 'live.announce.created', { name, place }));
        }
        case 'note.moved': {
          const note = noteOf(event.noteId);
          if (!note || !onShownPoster(note.posterId)) return;
          return announce(t('live.announce.moved', { name: authorName(note, t), text: excerpt(note.text, 40), place: placeLabel(posterOf(note.posterId), event.itemIds, t) }));
        }
        case 'agreement.changed': {
          const note = noteOf(event.noteId);
          if (!event.agreed || !note || !onShownPoster(note.posterId)) return;
          const who = current.groups.flatMap((group) => group.participants).find((p) => p.id === event.participantId)?.name ?? t('live.unknownAuthor');
          return announce(t('live.announce.agreed', { who, name: authorName(note, t) }));
        }
        case 'group.starsRevealed':
          return announce(t(event.revealed ? 'live.announce.starsRevealed' : 'live.announce.starsHidden'));
        case 'group.timer':
          if (!event.endsAt) return announce(t('live.announce.timerStopped'));
          return announce(t('live.announce.timerStarted', { minutes: Math.max(1, Math.round((Date.parse(event.endsAt) - Date.now()) / 60_000)) }));
        case 'workshop.changed':
          return announce(t(`live.announce.workshop.${event.state}`));
        default:
          return;
      }
    },
    [announce, t, posterId, groupId],
  );
}
