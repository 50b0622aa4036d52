import { useSearchParams } from 'react-router';
import { Layout } from '../../components/Layout.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { BoardTextImport } from './BoardTextImport.js';
import { JsonImport } from './JsonImport.js';
import { LapperCsvImport } from './LapperCsvImport.js';
import './imports.css';

/** Planners bring workshops in: a whiteboard's text export, an open-data export, or lapper typed in from paper. */
export function ImportPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const [search] = useSearchParams();
  if (session?.user.role !== 'planner') {
    return (
      <Layout title={t('imp.title')}>
        <p>{t('imp.plannersOnly')}</p>
      </Layout>
    );
  }
  return (
    <Layout title={t('imp.title')}>
      <p>{t('imp.intro')}</p>
      <BoardTextImport />
      <JsonImport />
      <LapperCsvImport initialWorkshopId={search.get('workshop')} />
    </Layout>
  );
}
