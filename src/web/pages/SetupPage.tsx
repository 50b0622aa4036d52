import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api.js';
import { ErrorMessage, fieldError } from '../components/ErrorMessage.js';
import { TextField } from '../components/Field.js';
import { Layout } from '../components/Layout.js';
import { useSession } from '../components/session.js';
import { useI18n } from '../i18n/i18n.js';

export function SetupPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const session = await api.setup({
        token,
        email: String(form.get('email')),
        name: String(form.get('name')),
        password: String(form.get('password')),
      });
      signedIn(session);
      navigate('/');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Layout title={t('setup.title')}>
      {!token ? (
        <p className="error">{t('setup.noToken')}</p>
      ) : (
        <form className="narrow" onSubmit={submit}>
          <p>{t('setup.intro')}</p>
          <TextField label={t('login.email')} name="email" type="email" autoComplete="email" required error={fieldError(error, 'email')} />
          <TextField label={t('login.name')} name="name" autoComplete="name" required error={fieldError(error, 'name')} />
          <TextField
            label={t('login.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            hint={t('login.passwordHint')}
            error={fieldError(error, 'password')}
          />
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            {t('setup.submit')}
          </button>
        </form>
      )}
    </Layout>
  );
}
