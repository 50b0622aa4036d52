import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { wordDiff } from '../../../domain/wordDiff.js';
import type { Follow } from '../../../contract/consultation.schema.js';
import { api } from '../../api/api.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { statusLabel } from '../synthesis/labels.js';
import './consultation.css';

/** The personal follow page ([CONS-14]): status, then the assessment and the change it led to. */
export function FollowPage() {
  const { token = '' } = useParams();
  const { t, language } = useI18n();
  const [follow, setFollow] = useState<Follow | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.follow(token).then(setFollow, setError);
  }, [token]);
  const date = (iso: string) => new Date(iso).toLocaleDateString(language === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'long' });
  return (
    <Layout title={t('cons.follow.title')}>
      <ErrorMessage error={error} />
      {!follow && !error && <p>{t('common.loading')}</p>}
      {follow && (
        <>
          <p>{t('cons.follow.intro', { reference: follow.reference, consultation: follow.consultation.title, date: date(follow.submittedAt) })}</p>
          <p className="notice">{t(`cons.follow.status.${follow.status}`)}</p>
          <ol className="cons-parts">
            {follow.parts.map((part) => (
              <li key={part.reference}>
                {follow.parts.length > 1 && <h2>{part.reference}</h2>}
                <p className="cons-text">{part.text}</p>
                {part.assessment ? (
                  <p>
                    <strong>{statusLabel(part.assessment.status, t)}</strong>: {part.assessment.justification}
                  </p>
                ) : (
                  <p className="muted">{t('cons.follow.notAssessed')}</p>
                )}
                {part.revisions.map((revision) => (
                  <div key={revision.at} className="cons-change">
                    <p>{t('cons.follow.changed', { date: date(revision.at) })}</p>
                    <DiffView segments={wordDiff(revision.before ?? '', revision.after ?? '')} />
                  </div>
                ))}
                {part.assessment && part.revisions.length === 0 && <p className="muted">{t('cons.follow.noChange')}</p>}
              </li>
            ))}
          </ol>
        </>
      )}
    </Layout>
  );
}
