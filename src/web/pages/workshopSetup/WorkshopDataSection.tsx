import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ImportReport } from '../../../contract/imports.schema.js';
import { api } from '../../api/api.js';
import { useI18n } from '../../i18n/i18n.js';
import { ImportReportView } from '../imports/ImportReportView.js';

/** For planners: the open-data download, lapper from paper, and the import report when the workshop came from an import. */
export function WorkshopDataSection({ workshopId }: { workshopId: string }) {
  const { t } = useI18n();
  const [report, setReport] = useState<ImportReport | null>(null);

  useEffect(() => {
    // 404: the workshop was not imported, and there is no report to show.
    api.importReport(workshopId).then(setReport, () => setReport(null));
  }, [workshopId]);

  return (
    <section aria-labelledby="ws-data" className="ws-section">
      <h2 id="ws-data" tabIndex={-1}>
        {t('data.heading')}
      </h2>
      <p>
        <a href={api.workshopExportUrl(workshopId)} download aria-describedby="ws-data-hint">
          {t('data.download')}
        </a>
        <br />
        <span id="ws-data-hint" className="hint">
          {t('data.downloadHint')}
        </span>
      </p>
      <p>
        <Link to={`/import?workshop=${workshopId}#csv`}>{t('data.csv')}</Link>
      </p>
      {report && (
        <>
          <p>{report.source.fileName ? t('data.imported', { file: report.source.fileName }) : t('data.importedNoFile')}</p>
          <details className="import-report-details">
            <summary>{t('data.showReport')}</summary>
            <ImportReportView report={report} workshopId={workshopId} linkToSetup={false} />
          </details>
        </>
      )}
    </section>
  );
}
