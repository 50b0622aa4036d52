import { localeOf } from '../../../domain/languages.js';
import { Link } from 'react-router';
import type { ImportReport } from '../../../contract/imports.schema.js';
import { useI18n } from '../../i18n/i18n.js';
import './imports.css';

interface Props {
  report: ImportReport;
  workshopId: string;
  /** The setup page is where this report is shown later; it does not link to itself. */
  linkToSetup?: boolean;
}

/** What an import of a whiteboard export found: counts, items per perspective, groups, and every warning. */
export function ImportReportView({ report, workshopId, linkToSetup = true }: Props) {
  const { t, language, plural } = useI18n();
  const number = (value: number) => value.toLocaleString(localeOf[language]);
  const labelled = report.groups.filter((group) => group.labelled).length;
  const rows: Array<[string, string, string?]> = [
    [t('imp.report.perspectives'), number(report.perspectives.length)],
    [t('imp.report.posters'), number(report.posters)],
    [t('imp.report.groups'), number(report.groups.length), t('imp.report.groupsValue', { labelled })],
    [t('imp.report.participants'), number(report.participants)],
    [t('imp.report.placed'), number(report.notesPlaced)],
    [t('imp.report.unplaced'), number(report.notesUnplaced)],
    [t('imp.report.facilitatorNotes'), number(report.facilitatorNotes)],
    [t('imp.report.starDigits'), number(report.detachedStarDigits), t('imp.report.starDigitsHint')],
  ];
  return (
    <div className="import-report">
      {report.source.fileName && <p className="muted">{t('imp.report.source', { file: report.source.fileName })}</p>}
      <h3>{t('imp.report.summary')}</h3>
      <dl className="report-summary">
        {rows.map(([term, value, hint]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd className="report-number">{value}</dd>
            {hint && <dd className="hint">{hint}</dd>}
          </div>
        ))}
      </dl>

      <h3>{t('imp.report.next')}</h3>
      <ul className="report-links">
        {linkToSetup && (
          <li>
            <Link to={`/workshops/${workshopId}`}>{t('imp.report.openSetup')}</Link>
          </li>
        )}
        <li>
          <Link to={`/workshops/${workshopId}/place`}>{t('imp.report.openPlace')}</Link>
        </li>
        <li>
          <Link to={`/workshops/${workshopId}/synthesis`}>{t('imp.report.openSynthesis')}</Link>
        </li>
      </ul>

      <table className="report-table report-perspectives">
        <caption>{t('imp.report.itemsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imp.report.perspective')}</th>
            <th scope="col">{t('kindPlural.sub_goal')}</th>
            <th scope="col">{t('kindPlural.strategy')}</th>
            <th scope="col">{t('kindPlural.land_use_strategy')}</th>
          </tr>
        </thead>
        <tbody>
          {report.perspectives.map((perspective) => (
            <tr key={perspective.title}>
              <th scope="row">{perspective.title}</th>
              <td data-label={t('kindPlural.sub_goal')}>{perspective.subGoals}</td>
              <td data-label={t('kindPlural.strategy')}>{perspective.strategies}</td>
              <td data-label={t('kindPlural.land_use_strategy')}>{perspective.landUseStrategies}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <table className="report-table report-groups">
        <caption>{t('imp.report.groupsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imp.report.group')}</th>
            <th scope="col">{t('imp.report.participants')}</th>
            <th scope="col">{t('imp.report.remark')}</th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((group) => (
            <tr key={group.name}>
              <th scope="row">{group.name}</th>
              <td data-label={t('imp.report.participants')}>{group.participants}</td>
              <td>{group.labelled ? '' : t('imp.report.unlabelled')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{plural('imp.report.warnings', report.warnings.length)}</h3>
      {report.warnings.length === 0 ? (
        <p>{t('imp.report.noWarnings')}</p>
      ) : (
        <ul className="report-warnings">
          {report.warnings.map((warning, index) => (
            <li key={index} data-code={warning.code}>
              {warning.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
