import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { outcomeSchema } from '../../../server/synthesis/synthesis.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { noteKindLabel, statusLabel } from '../synthesis/labels.js';

type Outcome = z.infer<typeof outcomeSchema>;
type OutcomeNote = Outcome['notes'][number];

/** "Hva skjedde med innspillene dine": a participant's own lapper with the planners' assessment and reasons. */
export function OutcomePage() {
  const { t, language } = useI18n();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.participantOutcome().then(setOutcome, setError);
  }, []);

  const notJoined = error instanceof ApiError && (error.code === 'unauthenticated' || error.status === 401);
  const notParticipant = error instanceof ApiError && error.code === 'forbidden';
  const formatDate = (iso: string) => new Date(iso).toLocaleDateString(language === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'long' });

  return (
    <Layout title={t('outcome.title')}>
      {notJoined || notParticipant ? (
        <div className="notice">
          <p>{t(notJoined ? 'outcome.notJoined' : 'outcome.notParticipant')}</p>
          <p>
            <Link to="/join">{t('outcome.join')}</Link>
          </p>
        </div>
      ) : (
        <ErrorMessage error={error} />
      )}
      {!outcome && !error && <p>{t('common.loading')}</p>}
      {outcome && (
        <>
          <p className="outcome-intro">
            {t('outcome.intro', { name: outcome.participant.name, workshop: outcome.workshop.title })}
          </p>
          <p className="muted">{t('outcome.summary', { count: outcome.notes.length, assessed: outcome.notes.filter((note) => note.assessment).length })}</p>
          {outcome.notes.length === 0 ? (
            <p>{t('outcome.none')}</p>
          ) : (
            <ol className="outcome-notes">
              {outcome.notes.map((note) => (
                <OutcomeCard key={note.id} note={note} formatDate={formatDate} />
              ))}
            </ol>
          )}
        </>
      )}
    </Layout>
  );
}

function OutcomeCard({ note, formatDate }: { note: OutcomeNote; formatDate(iso: string): string }) {
  const { t } = useI18n();
  const kind = note.kind as Parameters<typeof noteKindLabel>[0];
  return (
    <li className="outcome-note">
      <p className="outcome-where">
        <strong>{note.perspective}</strong> · {t(note.part === 'goals' ? 'outcome.part.goals' : 'outcome.part.strategies')}
      </p>
      <p className="muted">
        {note.items.length > 0 ? t('outcome.on', { items: note.items.join(t('outcome.itemSeparator')) }) : t('syn.generalBox')} · {noteKindLabel(kind, t)} · {formatDate(note.createdAt)}
        {note.withdrawn && ` · ${t('outcome.withdrawn')}`}
      </p>
      <p className="outcome-text">{note.text}</p>
      <div className={`outcome-assessment${note.assessment ? ` outcome-${note.assessment.status}` : ''}`}>
        {note.assessment ? (
          <>
            <p>
              <strong>{statusLabel(note.assessment.status, t)}</strong>
            </p>
            <p className="outcome-justification">
              <span className="visually-hidden">{t('syn.assess.justification')}: </span>
              {note.assessment.justification}
            </p>
          </>
        ) : (
          <p>{t('outcome.notYet')}</p>
        )}
      </div>
    </li>
  );
}
