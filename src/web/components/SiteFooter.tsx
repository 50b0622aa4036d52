import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n.js';

/** The footer of every page: the accessibility statement is one link away wherever you are (Uutilsynet asks for it). */
export function SiteFooter() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <Link to="/accessibility">{t('footer.accessibility')}</Link>
    </footer>
  );
}
