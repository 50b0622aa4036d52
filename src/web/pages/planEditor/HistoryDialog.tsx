import { localeOf } from '../../../domain/languages.js';
import { useEffect, useRef, useState } from 'react';
import type { Revision } from '../../../contract/plans.schema.js';
import { api } from '../../api/api.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';

export type HistoryTarget = { kind: 'item'; itemId: string; label: string } | { kind: 'plan'; planId: string; label: string };

/** A modal list of revisions, newest first; the native dialog keeps focus inside and Escape closes it. */
export function HistoryDialog({ target, onClose }: { target: HistoryTarget; onClose(): void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [revisions, setRevisions] = useState<Revision[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    dialog.current?.showModal();
    const load = target.kind === 'item' ? api.itemRevisions(target.itemId) : api.planRevisions(target.planId);
    load.then(setRevisions, setError);
  }, [target]);

  const formatDate = (iso: string) => new Date(iso).toLocaleString(localeOf[language]);

  return (
    <dialog ref={dialog} className="history" aria-labelledby="history-title" onClose={onClose}>
      <h2 id="history-title">{t('history.title', { label: target.label })}</h2>
      <ErrorMessage error={error} />
      {revisions === null && !error && <p>{t('common.loading')}</p>}
      {revisions?.length === 0 && <p>{t('history.empty')}</p>}
      {revisions && revisions.length > 0 && (
        <ol className="revisions">
          {revisions.map((revision) => (
            <li key={revision.id}>
              <p className="revision-meta">
                <strong>{t(`history.${revision.action}`)}</strong> {formatDate(revision.createdAt)}{' '}
                {revision.author && t('history.by', { name: revision.author.name })}
                {!revision.itemId && revision.perspectiveId && ` · ${t('history.perspective')}`}
              </p>
              {revision.action === 'edited' ? <DiffView segments={revision.diff} /> : <p>{revision.afterText}</p>}
              {revision.steps.length > 0 && (
                <ul className="revision-steps">
                  {revision.steps.map((step) => (
                    <li key={step.id}>
                      {step.kind === 'workshop'
                        ? t('history.fromWorkshop', { title: step.title })
                        : t('history.fromConsultation', { title: step.title, references: step.references.join(', ') })}
                    </li>
                  ))}
                </ul>
              )}
              {revision.notes.length > 0 && (
                <div className="revision-notes">
                  <p className="revision-meta">{t('syn.history.notes')}</p>
                  <ul>
                    {revision.notes.map((note) => (
                      <li key={note.id}>
                        «{note.text}» <span className="muted">– {[note.groupName, note.authorName].filter(Boolean).join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={() => dialog.current?.close()}>
        {t('common.close')}
      </button>
    </dialog>
  );
}
