import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.js';
import { LanguageSelect } from '../../components/LanguageSelect.js';
import { SiteFooter } from '../../components/SiteFooter.js';

interface Props {
  title: string;
  /** Where the brand links: the participant's poster list. */
  home: string;
  /** Who is here, e.g. "Dina · Gruppe 1". */
  who?: string;
  children: ReactNode;
}

/** The page frame for participants (no account): brand, who they are, language; the page title as h1. */
export function LiveLayout({ title, home, who, children }: Props) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header live-header">
        <Link to={home} className="brand">
          {t('app.name')}
        </Link>
        {who && <span className="who live-who">{who}</span>}
        <div className="header-tools">
          <LanguageSelect />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="live-main">
        <h1>{title}</h1>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}
