import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/api.js';
import { ApiError, setCsrfToken } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { participantHome, prepareCsrf } from './JoinPage.js';
import './join.css';

/** `/p/:token`: a personal link names the participant, so it joins at once and goes to the posters. */
export function PersonalLinkPage() {
  const { token = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      await prepareCsrf();
      const session = await api.joinByLink(token);
      if (cancelled) return;
      setCsrfToken(session.csrfToken);
      navigate(participantHome(session.workshop.id), { replace: true });
    })().catch((caught: unknown) => {
      if (!cancelled) setError(caught);
    });
    return () => {
      cancelled = true;
    };
  }, [token, navigate]);

  const unknown = error instanceof ApiError && error.code === 'not_found';
  return (
    <Layout title={t('join.title')}>
      <div className="join-page">
        {!error && <p role="status">{t('join.connecting')}</p>}
        {unknown ? (
          <p className="error" role="alert">
            {t('join.unknownLink')}
          </p>
        ) : error instanceof ApiError && error.code === 'workshop_not_open' ? (
          <p className="error" role="alert">
            {t('join.notOpen')}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        {error !== null && (
          <p>
            <Link to="/join" className="button big-button">
              {t('join.withCode')}
            </Link>
          </p>
        )}
      </div>
    </Layout>
  );
}
