import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { PlanInputs, TimelineStep } from '../../../contract/consultation.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { ScrollRegion } from '../../components/ScrollRegion.js';
import { useI18n } from '../../i18n/i18n.js';
import './consultation.css';

type Row = PlanInputs['general'][number];

/** One synthesis ([CONS-13]): høring inputs beside workshop lapper under each item, filtered by source. */
export function PlanInputsPage() {
  const { planId = '' } = useParams();
  const { t, language } = useI18n();
  const [source, setSource] = useState('all');
  const [steps, setSteps] = useState<TimelineStep[]>([]);
  const [inputs, setInputs] = useState<PlanInputs | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.planTimeline(planId).then(setSteps, setError);
  }, [planId]);
  useEffect(() => {
    api.planInputs(planId, source, language).then(setInputs, setError);
  }, [planId, source, language]);

  return (
    <Layout title={inputs ? t('cons.inputs.title', { plan: inputs.plan.title }) : t('cons.inputs.titleShort')} context={<Link to={`/plans/${planId}`}>{t('cons.mod.toPlan')}</Link>}>
      <ErrorMessage error={error} />
      <div className="field cons-filter">
        <label htmlFor="inputs-source">{t('cons.inputs.source')}</label>
        <select id="inputs-source" value={source} onChange={(event) => setSource(event.target.value)}>
          <option value="all">{t('cons.inputs.all')}</option>
          {steps.map((step) => (
            <option key={step.id} value={`${step.kind}:${step.id}`}>
              {t(step.kind === 'workshop' ? 'cons.timeline.workshop' : 'cons.timeline.consultation', { title: step.title })}
            </option>
          ))}
        </select>
      </div>
      {inputs?.sections.map((section) => (
        <section key={section.perspective} aria-label={section.perspective}>
          <h2>{section.perspective}</h2>
          {section.items.map((item) => (
            <div key={item.label + item.text} className="cons-inputs-item">
              <h3>
                {item.label}: {item.text}
              </h3>
              <Rows rows={item.rows} label={`${item.label}: ${item.text}`} />
            </div>
          ))}
        </section>
      ))}
      {inputs && (
        <section aria-labelledby="inputs-general">
          <h2 id="inputs-general">{t('cons.general')}</h2>
          <Rows rows={inputs.general} label={t('cons.general')} />
        </section>
      )}
    </Layout>
  );
}

function Rows({ rows, label }: { rows: Row[]; label: string }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('cons.inputs.none')}</p>;
  return (
    <ScrollRegion label={label}>
      <table className="cons-inputs">
        <thead>
          <tr>
            <th scope="col">{t('cons.inputs.col.number')}</th>
            <th scope="col">{t('cons.inputs.col.source')}</th>
            <th scope="col">{t('cons.inputs.col.who')}</th>
            <th scope="col">{t('cons.inputs.col.input')}</th>
            <th scope="col">{t('cons.inputs.col.assessment')}</th>
            <th scope="col">{t('cons.inputs.col.change')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.source}-${row.number}`}>
              <td>{row.number}</td>
              <td>{row.source}</td>
              <td>{row.who}</td>
              <td className="cons-text">{row.input}</td>
              <td>{row.assessment}</td>
              <td className="cons-text">{row.change}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
