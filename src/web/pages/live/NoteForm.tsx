import { useId, useState, type FormEvent } from 'react';
import { NOTE_TEXT_MAX } from '../../../domain/notes.js';
import type { BoardPoster, Command } from '../../../contract/protocol.js';
import { useAnnounce } from '../../components/Announcer.js';
import { useI18n, type Translate } from '../../i18n/i18n.js';
import { newId } from '../../live/liveClient.js';
import { itemLabel, placeLabel } from './labels.js';
import { onBehalf, type PosterContext } from './posterContext.js';

type BoardItem = BoardPoster['items'][number];
type NoteKindChoice = 'comment' | 'rewording' | 'question' | `new_item:${BoardItem['kind'] | 'main_goal'}`;

/** The kinds of lapp that fit the place: an alternative wording needs an item to reword. */
function kindChoices(poster: BoardPoster, item: BoardItem | null, t: Translate): Array<{ value: NoteKindChoice; label: string }> {
  const proposals: BoardItem['kind'][] | Array<'main_goal' | 'sub_goal'> = poster.part === 'goals' ? ['sub_goal', 'main_goal'] : ['strategy', 'land_use_strategy'];
  return [
    { value: 'comment', label: t('live.kind.comment') },
    ...(item ? [{ value: 'rewording' as const, label: t('live.kind.rewording') }] : []),
    ...proposals.map((kind) => ({ value: `new_item:${kind}` as const, label: t(`live.kind.new_item.${kind}`) })),
    { value: 'question', label: t('live.kind.question') },
  ];
}

interface Props {
  ctx: PosterContext;
  /** The card the form belongs to; null for the general box. */
  item: BoardItem | null;
  /** Closes the form after a lapp is written; focus goes back to the button that opened it. */
  onDone(): void;
}

/** Write a lapp on a card or in the general box. */
export function NoteForm({ ctx, item, onDone }: Props) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [kind, setKind] = useState<NoteKindChoice>('comment');
  const [text, setText] = useState('');
  const [also, setAlso] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const others = ctx.poster.items.filter((other) => other.id !== item?.id);
  const place = item ? itemLabel(item, t) : t('live.generalBox');

  function chooseKind(next: NoteKindChoice) {
    // An alternative wording starts from the item's own text, to edit.
    if (next === 'rewording' && item && text.trim() === '') setText(item.text);
    if (kind === 'rewording' && next !== 'rewording' && item && text === item.text) setText('');
    setKind(next);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim() === '') {
      setProblem(t('field.empty'));
      return;
    }
    if (kind === 'rewording' && item && text.trim() === item.text.trim()) {
      setProblem(t('live.form.rewordingUnchanged'));
      return;
    }
    const [noteKind, proposed] = kind.split(':') as ['comment' | 'rewording' | 'question' | 'new_item', BoardItem['kind'] | undefined];
    const itemIds = [...(item ? [item.id] : []), ...also];
    const command: Command = {
      type: 'note.create',
      noteId: newId(),
      posterId: ctx.poster.id,
      itemIds,
      kind: noteKind,
      text,
      ...(proposed ? { proposedItemKind: proposed } : {}),
      ...(ctx.mode === 'facilitator' ? { groupId: ctx.group.id } : {}),
      ...onBehalf(ctx),
    };
    ctx.send(command);
    announce(t(ctx.online ? 'live.form.added' : 'live.form.addedOffline', { place: placeLabel(ctx.poster, itemIds, t) }));
    setText('');
    setAlso([]);
    setKind('comment');
    setProblem(null);
    onDone();
  }

  return (
    <form className="note-form" onSubmit={submit} noValidate aria-label={t('live.form.title', { place })}>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('live.form.kind')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => chooseKind(event.target.value as NoteKindChoice)}>
          {kindChoices(ctx.poster, item, t).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{kind === 'rewording' ? t('live.form.rewordingText') : t('live.form.text')}</label>
        <span id={`${id}-count`} className="hint">
          {plural('common.characters', text.length, { max: NOTE_TEXT_MAX })}
        </span>
        <textarea
          id={`${id}-text`}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
          }}
          maxLength={NOTE_TEXT_MAX}
          rows={kind === 'rewording' ? 4 : 3}
          required
          aria-invalid={problem ? true : undefined}
          aria-describedby={[`${id}-count`, problem && `${id}-problem`].filter(Boolean).join(' ')}
          autoFocus
        />
        {problem && (
          <span id={`${id}-problem`} className="field-error">
            {problem}
          </span>
        )}
      </div>
      {others.length > 0 && (
        <details className="also" open={also.length > 0 || undefined}>
          <summary>{item ? t('live.form.alsoConcerns') : t('live.form.concerns')}</summary>
          <fieldset>
            <legend className="visually-hidden">{item ? t('live.form.alsoConcerns') : t('live.form.concerns')}</legend>
            {others.map((other) => (
              <label key={other.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={also.includes(other.id)}
                  onChange={(event) => setAlso((current) => (event.target.checked ? [...current, other.id] : current.filter((x) => x !== other.id)))}
                />
                <span>
                  <strong>{itemLabel(other, t)}</strong> {other.text}
                </span>
              </label>
            ))}
          </fieldset>
        </details>
      )}
      <div className="toolbar">
        <button type="submit">{t('live.form.submit')}</button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
