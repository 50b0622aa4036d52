import { localeOf } from '../../../domain/languages.js';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { wordDiff } from '../../../domain/wordDiff.js';
import type { Outcome } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { noteKindLabel, statusLabel } from '../synthesis/labels.js';

type OutcomeNote = Outcome['notes'][number];

/** "Hva skjedde med innspillene dine": a participant's own lapper with the planners' assessment and reasons. */
export function OutcomePage() {
  const { t, language, plural } = useI18n();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.participantOutcome().then(setOutcome, setError);
  }, []);

  const notJoined = error instanceof ApiError && (error.code === 'unauthenticated' || error.status === 401);
  const notParticipant = error instanceof ApiError && error.code === 'forbidden';
  const formatDate = (iso: string) => new Date(iso).toLocaleDateString(localeOf[language], { dateStyle: 'long' });

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
          <p className="muted">{plural('outcome.summary', outcome.notes.length, { assessed: outcome.notes.filter((note) => note.assessment).length })}</p>
          {outcome.notes.length === 0 ? (
            <p>{t('outcome.none')}</p>
          ) : (
            <ol className="outcome-notes">
              {/* A reply to one of my own lapper is shown under it, not on its own. */}
              {outcome.notes
                .filter((note) => !note.replyTo?.mine)
                .map((note) => (
                  <OutcomeCard key={note.id} note={note} all={outcome.notes} formatDate={formatDate} />
                ))}
            </ol>
          )}
          <p>
            <Link to={`/w/${outcome.workshop.id}`}>{t('outcome.toPosters')}</Link>
          </p>
        </>
      )}
    </Layout>
  );
}

function OutcomeCard({ note, all, formatDate }: { note: OutcomeNote; all: OutcomeNote[]; formatDate(iso: string): string }) {
  const { t, plural } = useI18n();
  const kind = note.kind as Parameters<typeof noteKindLabel>[0];
  return (
    <li className="outcome-note">
      {note.replyTo && (
        <p className="outcome-reply-to">
          {t('outcome.replyTo', { name: note.replyTo.authorName ?? t('outcome.someone') })} <q>{note.replyTo.text}</q>
        </p>
      )}
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
      {note.revisions.map((revision) => (
        <div key={revision.id} className="outcome-revision">
          <p>
            <strong>{t('outcome.revised', { date: formatDate(revision.createdAt) })}</strong>
          </p>
          {revision.before !== null && revision.after !== null ? (
            <>
              <DiffView segments={wordDiff(revision.before, revision.after)} />
              <p className="visually-hidden">
                {t('outcome.before')}: {revision.before}. {t('outcome.after')}: {revision.after}
              </p>
            </>
          ) : (
            <p>{revision.after ?? revision.before}</p>
          )}
        </div>
      ))}
      {note.replies.length > 0 && (
        <div className="outcome-replies">
          <p className="muted">{plural('outcome.replies', note.replies.length)}</p>
          <ol>
            {note.replies.map((reply) => {
              const mine = reply.mine ? all.find((n) => n.id === reply.id) : undefined;
              return mine ? (
                <OutcomeCard key={reply.id} note={mine} all={all} formatDate={formatDate} />
              ) : (
                <li key={reply.id} className="outcome-reply">
                  <p className="muted">{reply.authorName ?? t('outcome.someone')}</p>
                  <p className="outcome-text">{reply.text}</p>
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </li>
  );
}
