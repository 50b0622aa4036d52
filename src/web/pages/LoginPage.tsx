import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../api/api.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { TextField } from '../components/Field.js';
import { Layout } from '../components/Layout.js';
import { useSession } from '../components/session.js';
import { useI18n } from '../i18n/i18n.js';

export function LoginPage() {
  const { t } = useI18n();
  const { status, signedIn } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  // Only paths inside this app: never an address someone slipped into the state.
  const target = from?.startsWith('/') && !from.startsWith('//') ? from : '/';
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      signedIn(await api.login({ email: String(form.get('email')), password: String(form.get('password')) }));
      navigate(target);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Layout title={t('login.title')}>
      {status?.needsSetup && <p className="notice">{t('login.needsSetup')}</p>}
      {status?.login.provider && (
        <p>
          {/* A plain link: the browser goes to the identity provider and comes back signed in ([AUTH-1]). */}
          <a className="button" href="/api/auth/oidc/start">
            {t('login.withProvider', { provider: status.login.provider })}
          </a>
        </p>
      )}
      {status?.login.local !== false && status?.login.provider && <h2>{t('login.orPassword')}</h2>}
      {status?.login.local !== false && (
      <form className="narrow" onSubmit={submit}>
        <TextField label={t('login.email')} name="email" type="email" autoComplete="email" required />
        <TextField label={t('login.password')} name="password" type="password" autoComplete="current-password" required />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      )}
    </Layout>
  );
}
