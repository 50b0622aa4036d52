import { useState } from 'react';
import { Link } from 'react-router';
import { wordDiff } from '../../../domain/wordDiff.js';
import type { Overview, OverviewItem } from '../../../contract/synthesis.schema.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useAnnounce } from '../../components/Announcer.js';
import { DiffView } from '../../components/DiffView.js';
import { useI18n } from '../../i18n/i18n.js';
import type { HistoryTarget } from '../planEditor/HistoryDialog.js';
import { filterSearch, useFilters } from './filters.js';
import { itemLabel } from './labels.js';
import { InputList, type InputActions } from './InputCard.js';
import { NoteList, type NoteActions } from './NoteCard.js';
import { ReviseForm } from './ReviseForm.js';
import { StarChart } from './StarChart.js';

interface Props {
  item: OverviewItem;
  groups: Overview['facets']['groups'];
  actions: NoteActions & InputActions & { showHistory(target: HistoryTarget): void };
}

/** An item of the plan with its stars, its lapper from every group and its høring inputs, and (for planners) its revision. */
export function ItemCard({ item, groups, actions }: Props) {
  const { t, plural } = useI18n();
  const { filters } = useFilters();
  const announce = useAnnounce();
  const [revising, setRevising] = useState(false);
  const label = itemLabel(item, t);
  const headingId = `item-${item.id}`;

  async function done(result: 'saved' | 'theirs' | 'cancelled') {
    setRevising(false);
    if (result !== 'cancelled') await actions.reload();
    if (result === 'saved') announce(t('syn.revise.saved', { label }));
    // Back to the button that opened the editor.
    requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-item-id="${item.id}"] [data-action="revise"]`)?.focus());
  }

  return (
    <li className={`syn-item syn-item-${item.kind}`} data-item-id={item.id}>
      <article aria-labelledby={headingId}>
        <div className="syn-item-head">
          <h3 id={headingId}>{label}</h3>
          {item.number === null && item.kind !== 'main_goal' && <span className="badge">{t('editor.archived')}</span>}
          {item.changed && <span className="badge syn-changed">{t('syn.changed')}</span>}
        </div>
        <p className="syn-item-text">{item.text}</p>
        {item.changed && (
          <div className="syn-original">
            <p className="hint">{t('syn.originalVsCurrent')}</p>
            <DiffView segments={wordDiff(item.originalText, item.text)} />
          </div>
        )}
        <StarChart item={item} groups={groups} />
        <div className="syn-item-tools">
          <p className="syn-note-count">
            {plural('syn.notes', item.noteCount)}
            {item.notes.length < item.noteCount && (
              <>
                {' · '}
                <Link to={{ search: filterSearch(filters, { itemId: item.id, notesPerItem: 1000 }) }}>
                  {plural('syn.showAllNotes', item.noteCount, { label })}
                </Link>
              </>
            )}
          </p>
          <div className="toolbar">
            {actions.canEdit && !revising && (
              <ActionButton className="secondary" data-action="revise" onClick={() => setRevising(true)} label={t('syn.revise')} target={label} />
            )}
            <ActionButton
              className="secondary"
              data-action="history"
              onClick={() => actions.showHistory({ kind: 'item', itemId: item.id, label })}
              label={t('editor.history')}
              target={label}
            />
          </div>
        </div>
        {revising && <ReviseForm item={item} label={label} onDone={done} />}
        {item.notes.length > 0 && <NoteList notes={item.notes} actions={actions} label={t('syn.notesOn', { label })} />}
        {item.inputCount > 0 && (
          <div className="syn-item-inputs">
            <p className="syn-note-count">
              {plural('syn.inputs', item.inputCount)}
              {item.inputs.length < item.inputCount && (
                <>
                  {' · '}
                  <Link to={{ search: filterSearch(filters, { itemId: item.id, notesPerItem: 1000 }) }}>{plural('syn.showAllInputs', item.inputCount, { label })}</Link>
                </>
              )}
            </p>
            <InputList inputs={item.inputs} actions={actions} label={t('syn.inputsOn', { label })} />
          </div>
        )}
      </article>
    </li>
  );
}
