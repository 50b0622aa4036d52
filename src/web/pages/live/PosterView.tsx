import { useId, useRef, useState, type ReactNode } from 'react';
import { posterKinds } from '../../../domain/items.js';
import type { BoardPoster, LiveNote, LiveStar } from '../../../contract/protocol.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useI18n } from '../../i18n/i18n.js';
import { starBudget, starKey } from '../../live/applyPending.js';
import { newId } from '../../live/liveClient.js';
import { itemLabel } from './labels.js';
import { NoteForm } from './NoteForm.js';
import { NoteItem } from './NoteItem.js';
import { onBehalf, type PosterContext } from './posterContext.js';

type BoardItem = BoardPoster['items'][number];

const byTime = (a: LiveNote, b: LiveNote) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** A group's poster: hovedmål, instructions, the items as cards with their lapper and stars, the general box and the Notater. */
export function PosterView({ ctx, notesPanel }: { ctx: PosterContext; notesPanel?: ReactNode }) {
  const { t } = useI18n();
  const { view, poster, group } = ctx;
  const notes = view.notes.filter((note) => note.posterId === poster.id && note.groupId === group.id).sort(byTime);
  const replies = new Map<string, LiveNote[]>();
  for (const note of notes) {
    if (note.replyToNoteId) replies.set(note.replyToNoteId, [...(replies.get(note.replyToNoteId) ?? []), note]);
  }
  // A withdrawn lapp disappears, unless others replied to it.
  const shown = (note: LiveNote) => !note.withdrawn || (replies.get(note.id)?.some((reply) => !reply.withdrawn) ?? false);
  const lapper = notes.filter((note) => !note.replyToNoteId && note.kind !== 'facilitator_note' && shown(note));
  const itemIds = new Set(poster.items.map((item) => item.id));
  const onItem = (item: BoardItem) => lapper.filter((note) => note.placed && note.itemIds.includes(item.id));
  const inBox = lapper.filter((note) => !note.placed || !note.itemIds.some((id) => itemIds.has(id)));
  const repliesOf = (note: LiveNote) => (replies.get(note.id) ?? []).filter(shown);
  const stars = view.stars.filter((star) => star.posterId === poster.id && star.groupId === group.id);
  const totalsVisible = !view.workshop.starsHidden || group.starsRevealed || ctx.mode === 'facilitator';
  // Del 1 shows the hovedmål as a card lapper attach to; Del 2 only names it above the strategies.
  const mainGoalOnPoster = poster.items.some((item) => item.kind === 'main_goal');
  const exhaustedId = `stars-exhausted-${poster.id}`;

  return (
    <div className="poster" data-poster-id={poster.id}>
      <div className="poster-intro">
        {!mainGoalOnPoster && (
          <p className="main-goal-banner">
            <span className="eyebrow">{t('kind.main_goal')}</span>
            <span className="main-goal-text">{poster.mainGoal}</span>
          </p>
        )}
        {poster.instructions && <p className="instructions">{poster.instructions}</p>}
      </div>
      {poster.starsEnabled && <StarsSummary ctx={ctx} exhaustedId={exhaustedId} totalsVisible={totalsVisible} />}
      {posterKinds[poster.part].map((kind) => {
        const items = poster.items.filter((item) => item.kind === kind);
        if (items.length === 0) return null;
        const headingId = `${poster.id}-${kind}`;
        return (
          <section key={kind} className="poster-part" aria-labelledby={headingId}>
            <h2 id={headingId}>{t(`kindPlural.${kind}`)}</h2>
            <ol className="poster-items" aria-labelledby={headingId}>
              {items.map((item) => (
                <ItemCard
                  key={item.id}
                  ctx={ctx}
                  item={item}
                  lapper={onItem(item)}
                  repliesOf={repliesOf}
                  stars={stars.filter((star) => star.itemId === item.id)}
                  totalsVisible={totalsVisible}
                  exhaustedId={exhaustedId}
                />
              ))}
            </ol>
          </section>
        );
      })}
      <GeneralBox ctx={ctx} lapper={inBox} repliesOf={repliesOf} />
      {notesPanel}
    </div>
  );
}

function StarsSummary({ ctx, exhaustedId, totalsVisible }: { ctx: PosterContext; exhaustedId: string; totalsVisible: boolean }) {
  const { t } = useI18n();
  const who = ctx.actingFor;
  const budget = starBudget(ctx.view, ctx.poster.id, who?.id ?? null);
  const self = ctx.mode === 'participant';
  return (
    <div className="stars-summary">
      <p className="stars-left" role="status" aria-live="polite">
        <span aria-hidden="true" className="star-icon">★ </span>
        {who
          ? self
            ? t('live.stars.left', { left: budget.left, budget: budget.budget })
            : t('live.stars.leftFor', { name: who.name, left: budget.left, budget: budget.budget })
          : t('live.stars.pickParticipant')}
      </p>
      {who && budget.left === 0 && !ctx.readOnly && (
        <p id={exhaustedId} className="hint">
          {t(self ? 'live.stars.exhausted' : 'live.stars.exhaustedFor', { name: who.name })}
        </p>
      )}
      {!totalsVisible && <p className="hint">{t('live.stars.hidden')}</p>}
      {ctx.mode === 'facilitator' && ctx.view.workshop.starsHidden && !ctx.group.starsRevealed && <p className="hint">{t('live.stars.hiddenForGroup')}</p>}
    </div>
  );
}

interface CardProps {
  ctx: PosterContext;
  item: BoardItem;
  lapper: LiveNote[];
  repliesOf(note: LiveNote): LiveNote[];
  stars: LiveStar[];
  totalsVisible: boolean;
  exhaustedId: string;
}

function ItemCard({ ctx, item, lapper, repliesOf, stars, totalsVisible, exhaustedId }: CardProps) {
  const { t } = useI18n();
  const label = itemLabel(item, t);
  const headingId = `item-${ctx.poster.id}-${item.id}`;
  return (
    <li className="poster-card" data-item-id={item.id}>
      <h3 id={headingId} className="card-label">
        {label}
      </h3>
      <p className="item-text">{item.text}</p>
      {ctx.poster.starsEnabled && <StarControl ctx={ctx} item={item} label={label} stars={stars} totalsVisible={totalsVisible} exhaustedId={exhaustedId} />}
      <LapperList ctx={ctx} item={item} lapper={lapper} repliesOf={repliesOf} label={label} />
      <WriteToggle ctx={ctx} item={item} label={label} />
    </li>
  );
}

function LapperList({ ctx, item, lapper, repliesOf, label }: { ctx: PosterContext; item: BoardItem | null; lapper: LiveNote[]; repliesOf(note: LiveNote): LiveNote[]; label: string }) {
  const { t } = useI18n();
  if (lapper.length === 0) return <p className="muted no-lapper">{t('live.noLapper')}</p>;
  return (
    <ul className="lapper" aria-label={t('live.lapperOn', { label, count: lapper.length })}>
      {lapper.map((note) => (
        <NoteItem key={note.id} ctx={ctx} note={note} replies={repliesOf(note)} item={item} />
      ))}
    </ul>
  );
}

function WriteToggle({ ctx, item, label }: { ctx: PosterContext; item: BoardItem | null; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const formId = useId();
  if (ctx.readOnly) return null;
  return (
    <div className="write">
      <button
        ref={button}
        type="button"
        className={open ? 'secondary' : undefined}
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-label={`${t('live.write')}: ${label}`}
        onClick={() => setOpen((value) => !value)}
      >
        {t('live.write')}
      </button>
      {open && (
        <div id={formId}>
          <NoteForm
            ctx={ctx}
            item={item}
            onDone={() => {
              setOpen(false);
              requestAnimationFrame(() => button.current?.focus());
            }}
          />
        </div>
      )}
    </div>
  );
}

function StarControl({ ctx, item, label, stars, totalsVisible, exhaustedId }: { ctx: PosterContext; item: BoardItem; label: string; stars: LiveStar[]; totalsVisible: boolean; exhaustedId: string }) {
  const { t, plural } = useI18n();
  const who = ctx.actingFor;
  const mine = who ? stars.filter((star) => star.participantId === who.id).length : 0;
  const budget = starBudget(ctx.view, ctx.poster.id, who?.id ?? null);
  const perItem = ctx.view.workshop.starsPerItem;
  const unsaved = ctx.view.unsavedStars.has(starKey(ctx.poster.id, item.id));
  const canGive = !ctx.readOnly && who !== null && budget.left > 0 && mine < perItem;
  const give = () => ctx.send({ type: 'star.give', starId: newId(), posterId: ctx.poster.id, itemId: item.id, ...onBehalf(ctx) });
  const take = () => ctx.send({ type: 'star.take', posterId: ctx.poster.id, itemId: item.id, ...onBehalf(ctx) });
  const describedBy = who && !ctx.readOnly && budget.left === 0 && mine < perItem ? exhaustedId : undefined;
  return (
    <div className="star-control">
      {perItem === 1 ? (
        <ActionButton
          className={`star-toggle${mine > 0 ? ' pressed' : ''}`}
          aria-pressed={mine > 0}
          disabled={ctx.readOnly || who === null || (mine === 0 && !canGive)}
          aria-describedby={describedBy}
          onClick={mine > 0 ? take : give}
          label={mine > 0 ? t('live.stars.take') : t('live.stars.give')}
          target={label}
        />
      ) : (
        <>
          <ActionButton className="star-toggle" disabled={!canGive} aria-describedby={describedBy} onClick={give} label={t('live.stars.give')} target={label} />
          <ActionButton className="secondary" disabled={ctx.readOnly || mine === 0} onClick={take} label={t('live.stars.take')} target={label} />
        </>
      )}
      {(mine > 0 || perItem > 1) && (
        // My stars on this item as stars; the count in words for screen readers.
        <span className="my-stars">
          <span aria-hidden="true">{'★'.repeat(mine)}</span>
          <span className="visually-hidden">{plural('live.stars.mineHere', mine)}</span>
        </span>
      )}
      {totalsVisible && (
        <span className="star-total">
          <span aria-hidden="true">★ </span>
          {plural('live.stars.total', stars.length)}
        </span>
      )}
      {unsaved && <span className="badge unsaved">{t('live.unsaved')}</span>}
    </div>
  );
}

function GeneralBox({ ctx, lapper, repliesOf }: { ctx: PosterContext; lapper: LiveNote[]; repliesOf(note: LiveNote): LiveNote[] }) {
  const { t } = useI18n();
  const headingId = `box-${ctx.poster.id}`;
  const label = t('live.generalBox');
  return (
    <section className="general-box" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      {ctx.poster.boxPrompt && <p className="instructions">{ctx.poster.boxPrompt}</p>}
      <LapperList ctx={ctx} item={null} lapper={lapper} repliesOf={repliesOf} label={label} />
      <WriteToggle ctx={ctx} item={null} label={label} />
    </section>
  );
}

/** The facilitator's Notater for this group's poster: everyone reads them, the facilitator writes them. */
export function NotesPanel({ ctx }: { ctx: PosterContext }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const notes = ctx.view.notes
    .filter((note) => note.posterId === ctx.poster.id && note.groupId === ctx.group.id && note.kind === 'facilitator_note' && !note.withdrawn)
    .sort(byTime);
  const writes = ctx.mode === 'facilitator' && !ctx.readOnly;
  if (!writes && notes.length === 0) return null;
  const headingId = `notater-${ctx.poster.id}`;
  return (
    <section className="notes-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('live.notater')}</h2>
      {notes.length === 0 ? (
        <p className="muted">{t('live.notater.none')}</p>
      ) : (
        <ul className="lapper">
          {notes.map((note) => (
            <NoteItem key={note.id} ctx={ctx} note={note} replies={[]} item={null} isReply />
          ))}
        </ul>
      )}
      {writes && (
        <form
          className="note-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim() === '') return;
            ctx.send({ type: 'note.create', noteId: newId(), posterId: ctx.poster.id, groupId: ctx.group.id, itemIds: [], kind: 'facilitator_note', text });
            setText('');
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-text`}>{t('live.notater.write')}</label>
            <textarea id={`${id}-text`} value={text} onChange={(event) => setText(event.target.value)} rows={3} maxLength={2000} />
          </div>
          <button type="submit">{t('live.notater.save')}</button>
        </form>
      )}
    </section>
  );
}
