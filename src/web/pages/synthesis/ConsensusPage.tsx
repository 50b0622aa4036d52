import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { Consensus, Overview } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { itemLabel } from './labels.js';
import { SynthesisHeader } from './SynthesisHeader.js';

/** Items ranked by how many groups, then how many parties, starred them: where the room agreed. */
export function ConsensusPage() {
  const { workshopId = '' } = useParams();
  const { t } = useI18n();
  const { session } = useSession();
  const [rows, setRows] = useState<Consensus | null>(null);
  const [head, setHead] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    Promise.all([api.synthesisConsensus(workshopId), api.synthesisOverview(workshopId, { pageSize: 1 })]).then(([consensus, overview]) => {
      setRows(consensus);
      setHead(overview);
    }, setError);
  }, [workshopId]);

  const title = head ? t('syn.consensus.title', { title: head.workshop.title }) : t('syn.titleLoading');
  return (
    <Layout title={title} context={<WorkshopNav workshopId={workshopId} />}>
      <SynthesisHeader workshopId={workshopId} progress={head?.progress ?? null} canEdit={session?.user.role === 'planner'} />
      <ErrorMessage error={error} />
      {!rows && !error && <p>{t('common.loading')}</p>}
      {rows?.length === 0 && <p>{t('syn.consensus.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <p className="hint" id="consensus-hint">
            {t('syn.consensus.intro')}
          </p>
          <div className="syn-table-wrap" role="region" aria-labelledby="consensus-caption" tabIndex={0}>
            <table className="syn-table" aria-describedby="consensus-hint">
              <caption id="consensus-caption">{t('syn.consensus.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('syn.consensus.rank')}</th>
                  <th scope="col">{t('syn.consensus.item')}</th>
                  <th scope="col">{t('syn.consensus.groups')}</th>
                  <th scope="col">{t('syn.consensus.parties')}</th>
                  <th scope="col">{t('syn.consensus.stars')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={row.itemId}>
                    <td>{index + 1}</td>
                    <th scope="row">
                      <span className="syn-row-label">
                        {itemLabel(row, t)} · {row.perspectiveTitle}
                      </span>
                      <span className="syn-row-text">{row.text}</span>
                    </th>
                    <td>{row.groupsStarring}</td>
                    <td>{row.partiesStarring}</td>
                    <td>{row.stars}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
