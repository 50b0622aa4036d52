import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from './session.js';
import { LanguageSelect } from './LanguageSelect.js';
import { SiteFooter } from './SiteFooter.js';

/** `context`: where the page sits (a breadcrumb and the workshop's pages), shown above the heading. */
export function Layout({ title, children, context }: { title: string; children: ReactNode; context?: ReactNode }) {
  const { t } = useI18n();
  const { session, logout } = useSession();
  const navigate = useNavigate();
  document.title = `${title} – ${t('app.name')}`;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.plans')}>
          {session && <Link to="/">{t('nav.plans')}</Link>}
        </nav>
        <div className="header-tools">
          <LanguageSelect />
          {session && (
            <>
              <span className="who">{t('nav.loggedInAs', { name: session.user.name })}</span>
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  await logout();
                  navigate('/login');
                }}
              >
                {t('nav.logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {context}
        <h1>{title}</h1>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}
