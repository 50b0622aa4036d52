import { useEffect, useId, useRef } from 'react';
import { NavLink, useLocation } from 'react-router';
import type { Overview } from '../../../contract/synthesis.schema.js';
import { useI18n } from '../../i18n/i18n.js';

export const synthesisPath = (workshopId: string) => `/workshops/${workshopId}/synthesis`;

interface Props {
  workshopId: string;
  progress: Overview['progress'] | null;
  /** Planners assess and download; facilitators only read. */
  canEdit: boolean;
  /** The overview's filters, carried to the walk-through ("?themeKey=…"). */
  search?: string;
}

/** The synthesis tabs, the assessment progress and the downloads, the same on every synthesis page. */
export function SynthesisHeader({ workshopId, progress, canEdit, search = '' }: Props) {
  const { t, language } = useI18n();
  const progressId = useId();
  const base = synthesisPath(workshopId);
  const location = useLocation();
  const reports = useRef<HTMLParagraphElement>(null);
  // "Rapporter" in the workshop navigation leads here.
  useEffect(() => {
    if (location.hash === '#rapporter') reports.current?.focus();
  }, [location.hash, canEdit]);
  return (
    <div className="syn-header">
      <nav aria-label={t('syn.nav')} className="syn-tabs">
        <ul>
          <li>
            <NavLink to={`${base}${search}`} end>
              {t('syn.tab.overview')}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/consensus`}>{t('syn.tab.consensus')}</NavLink>
          </li>
          {canEdit && (
            <li>
              <NavLink to={`${base}/assess${search}`}>{t('syn.tab.assess')}</NavLink>
            </li>
          )}
          <li>
            <NavLink to={`/workshops/${workshopId}`} end>
              {t('syn.tab.setup')}
            </NavLink>
          </li>
        </ul>
      </nav>
      {progress && (
        <div className="syn-progress">
          <label htmlFor={progressId}>{t('syn.progress', { assessed: progress.assessed, total: progress.total })}</label>
          <progress id={progressId} max={Math.max(progress.total, 1)} value={progress.assessed} />
        </div>
      )}
      {canEdit && (
        <p className="syn-downloads" id="rapporter" ref={reports} tabIndex={-1}>
          <span className="syn-downloads-label">{t('syn.download')}</span>
          {(
            [
              ['report.docx', 'syn.download.docx'],
              ['report.xlsx', 'syn.download.xlsx'],
              ['report.csv', 'syn.download.csv'],
              ['export.json', 'syn.download.json'],
            ] as const
          ).map(([file, label]) => (
            <a key={file} className="button secondary" href={`/api/workshops/${workshopId}/${file}${file === 'export.json' ? '' : `?lang=${language}`}`} download>
              {t(label)}
            </a>
          ))}
        </p>
      )}
    </div>
  );
}
