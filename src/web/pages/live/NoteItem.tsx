import { useId, useRef, useState, type FormEvent } from 'react';
import { NOTE_TEXT_MAX } from '../../../domain/notes.js';
import { wordDiff } from '../../../domain/wordDiff.js';
import type { BoardPoster, LiveNote } from '../../../contract/protocol.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useAnnounce } from '../../components/Announcer.js';
import { DiffView } from '../../components/DiffView.js';
import { useI18n } from '../../i18n/i18n.js';
import { newId } from '../../live/liveClient.js';
import { authorName, itemLabel, noteKindLabel, placeLabel } from './labels.js';
import { isOwnNote, onBehalf, participantNames, type PosterContext } from './posterContext.js';

type BoardItem = BoardPoster['items'][number];

interface Props {
  ctx: PosterContext;
  note: LiveNote;
  /** Replies to this lapp, oldest first. */
  replies: readonly LiveNote[];
  /** The card this copy of the lapp is shown under (a lapp may concern several); null in the general box. */
  item: BoardItem | null;
  /** Replies do not get replies of their own. */
  isReply?: boolean;
}

/** One lapp: kind, text (plain text, or a word diff for an alternative wording), author, "Enig", replies and the author's tools. */
export function NoteItem({ ctx, note, replies, item, isReply = false }: Props) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [replying, setReplying] = useState(false);
  const [moving, setMoving] = useState(false);
  const replyButton = useRef<HTMLButtonElement>(null);
  const names = participantNames(ctx.group);
  const author = authorName(note, t);
  const target = t('live.noteBy', { name: author });
  const unsaved = ctx.view.unsavedNotes.has(note.id);
  const own = isOwnNote(ctx, note);
  const writable = !ctx.readOnly && !note.withdrawn;
  const agreedNames = note.agreedBy.map((pid) => names.get(pid) ?? t('live.unknownAuthor'));
  const agreeAs = ctx.actingFor;
  const agreed = agreeAs ? note.agreedBy.includes(agreeAs.id) : false;
  const mayAgree = writable && agreeAs !== null && note.author.participantId !== agreeAs.id && note.kind !== 'facilitator_note';
  const alsoOn = note.itemIds.filter((itemId) => itemId !== item?.id);
  const mayMove = writable && !isReply && note.kind !== 'facilitator_note' && (own || ctx.mode === 'facilitator');

  function toggleAgree() {
    if (!agreeAs) return;
    ctx.send({ type: 'agreement.set', noteId: note.id, agreed: !agreed, ...onBehalf(ctx) });
  }

  function withdraw() {
    if (!window.confirm(t('live.confirmWithdraw'))) return;
    ctx.send({ type: 'note.withdraw', noteId: note.id });
    announce(t('live.withdrawn'));
  }

  function saveEdit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('text'));
    if (text.trim() === '') return;
    if (text !== note.text) ctx.send({ type: 'note.edit', noteId: note.id, text });
    setEditing(false);
    announce(t('common.saved'));
  }

  function sendReply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('text'));
    if (text.trim() === '') return;
    ctx.send({
      type: 'note.create',
      noteId: newId(),
      posterId: note.posterId,
      itemIds: note.itemIds,
      kind: 'comment',
      text,
      replyToNoteId: note.id,
      ...(ctx.mode === 'facilitator' ? { groupId: ctx.group.id } : {}),
      ...onBehalf(ctx),
    });
    setReplying(false);
    announce(t('live.replySent', { name: author }));
    requestAnimationFrame(() => replyButton.current?.focus());
  }

  function move(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const to = String(new FormData(event.currentTarget).get('to'));
    const itemIds = to ? [to] : [];
    if (itemIds.join() === note.itemIds.join() && note.placed) return;
    ctx.send({ type: 'note.move', noteId: note.id, itemIds });
    setMoving(false);
    announce(t('live.moved', { name: author, place: placeLabel(ctx.poster, itemIds, t) }));
    // The lapp leaves this card: follow it, so the keyboard is not dropped at the top of the page.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-note-id="${note.id}"][data-place="${to || 'box'}"]`)?.focus());
  }

  const moveForm = (
    <form className="move-form" onSubmit={move}>
      <label htmlFor={`${id}-move`}>{t('live.moveTo')}</label>
      <select id={`${id}-move`} name="to" defaultValue={item?.id ?? ''} aria-describedby={`${id}-author`}>
        {ctx.poster.items.map((option) => (
          <option key={option.id} value={option.id}>
            {itemLabel(option, t)}
          </option>
        ))}
        <option value="">{t('live.generalBox')}</option>
      </select>
      <ActionButton type="submit" className="secondary" label={t('live.move')} target={target} />
    </form>
  );

  return (
    <li className={`lapp lapp-${note.kind}${unsaved ? ' unsaved' : ''}`} data-note-id={note.id} data-place={item?.id ?? 'box'} tabIndex={-1}>
      <p className="lapp-head">
        <span className="badge kind">{noteKindLabel(note, t)}</span>{' '}
        <span className="lapp-author" id={`${id}-author`}>
          <span className="visually-hidden">{t('live.writtenBy')} </span>
          {author}
        </span>
        {unsaved && (
          <>
            {' '}
            <span className="badge unsaved">{t('live.unsaved')}</span>
          </>
        )}
        {!note.placed && (
          <>
            {' '}
            <span className="badge">{t('live.unplaced')}</span>
          </>
        )}
      </p>
      {note.withdrawn ? (
        <p className="muted">{t('live.withdrawnNote')}</p>
      ) : editing ? (
        <form className="edit-form" onSubmit={saveEdit}>
          <div className="field">
            <label htmlFor={`${id}-edit`}>{t('live.editLabel')}</label>
            <textarea id={`${id}-edit`} name="text" defaultValue={note.text} maxLength={NOTE_TEXT_MAX} rows={3} required autoFocus />
          </div>
          <div className="toolbar">
            <button type="submit">{t('common.save')}</button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : note.kind === 'rewording' && item ? (
        <div className="rewording">
          <p className="hint">{t('live.rewordingOf', { label: itemLabel(item, t) })}</p>
          <div className="lapp-text">
            <DiffView segments={wordDiff(item.text, note.text)} />
          </div>
        </div>
      ) : (
        <p className="lapp-text">{note.text}</p>
      )}
      {alsoOn.length > 0 && !note.withdrawn && <p className="hint">{t(item ? 'live.alsoOn' : 'live.concerns', { places: placeLabel(ctx.poster, alsoOn, t) })}</p>}
      {agreedNames.length > 0 && (
        <p className="agreed">
          {t('live.agreedBy', { count: agreedNames.length, names: agreedNames.join(', ') })}
        </p>
      )}
      {!editing && !note.withdrawn && (
        <div className="toolbar lapp-actions">
          {mayAgree && (
            <ActionButton className="secondary agree" aria-pressed={agreed} onClick={toggleAgree} label={t('live.agree')} target={target} />
          )}
          {!isReply && writable && (
            <button
              ref={replyButton}
              type="button"
              className="secondary"
              aria-expanded={replying}
              aria-label={`${t('live.reply')}: ${target}`}
              onClick={() => setReplying((open) => !open)}
            >
              {t('live.reply')}
            </button>
          )}
          {own && writable && (
            <>
              <ActionButton className="secondary" onClick={() => setEditing(true)} label={t('common.edit')} target={target} />
              <ActionButton className="danger" onClick={withdraw} label={t('live.withdraw')} target={target} />
            </>
          )}
          {mayMove && ctx.mode === 'participant' && (
            <ActionButton className="secondary" aria-expanded={moving} onClick={() => setMoving((open) => !open)} label={t('live.move')} target={target} />
          )}
        </div>
      )}
      {mayMove && (ctx.mode === 'facilitator' || moving) && !editing && moveForm}
      {replying && (
        <form className="reply-form" onSubmit={sendReply}>
          <div className="field">
            <label htmlFor={`${id}-reply`}>{t('live.replyTo', { name: author })}</label>
            <textarea id={`${id}-reply`} name="text" maxLength={NOTE_TEXT_MAX} rows={2} required autoFocus />
          </div>
          <div className="toolbar">
            <button type="submit">{t('live.sendReply')}</button>
            <button type="button" className="secondary" onClick={() => setReplying(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {replies.length > 0 && (
        <ul className="replies" aria-label={t('live.repliesTo', { name: author })}>
          {replies.map((reply) => (
            <NoteItem key={reply.id} ctx={ctx} note={reply} replies={[]} item={item} isReply />
          ))}
        </ul>
      )}
    </li>
  );
}
