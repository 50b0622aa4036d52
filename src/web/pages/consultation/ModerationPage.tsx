import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { submissionAssessmentSchema, type Consultation, type ModerationEntry, type PublicConsultation, type Submission } from '../../../contract/consultation.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { assessmentStatuses, itemLabel, shortText, statusLabel } from '../synthesis/labels.js';
import './consultation.css';

const conflictSchema = submissionAssessmentSchema.pick({ status: true, justification: true, version: true });
type AssessConflict = ReturnType<typeof conflictSchema.parse>;

/** Planners' moderation ([CONS-9…11]): the queue, publish, hide with a reason, copy, split, assess, attachments, the log. */
export function ModerationPage() {
  const { consultationId = '' } = useParams();
  const { t, language } = useI18n();
  const [consultation, setConsultation] = useState<Consultation | null>(null);
  const [draft, setDraft] = useState<PublicConsultation | null>(null);
  const [submissions, setSubmissions] = useState<Submission[]>([]);
  const [log, setLog] = useState<ModerationEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState<'all' | Submission['status']>('pending');

  const reload = useCallback(async () => {
    try {
      const [c, d, s, l] = await Promise.all([
        api.getConsultation(consultationId),
        api.publicConsultation(consultationId),
        api.submissions(consultationId),
        api.moderationLog(consultationId),
      ]);
      setConsultation(c);
      setDraft(d);
      setSubmissions(s);
      setLog(l);
    } catch (caught) {
      setError(caught);
    }
  }, [consultationId]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
    await reload();
  };
  const items = draft?.plan.perspectives.flatMap((p) => p.items) ?? [];
  const labelOf = (id: string) => {
    const item = items.find((i) => i.id === id);
    return item ? itemLabel(item, t) : id;
  };
  const date = (iso: string) => new Date(iso).toLocaleString(language === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  const shown = submissions.filter((s) => filter === 'all' || s.status === filter);

  return (
    <Layout
      title={consultation ? t('cons.mod.title', { title: consultation.title }) : t('cons.title')}
      context={consultation && <Link to={`/plans/${consultation.planId}`}>{t('cons.mod.toPlan')}</Link>}
    >
      <ErrorMessage error={error} />
      {consultation && (
        <div className="cons-mod-head">
          <p>
            {t('cons.mod.window', { opens: date(consultation.opensAt), closes: date(consultation.closesAt) })} ·{' '}
            <a href={consultation.publicUrl}>{t('cons.mod.publicPage')}</a>
          </p>
          <p className="actions">
            <a className="button secondary" href={`/api/plans/${consultation.planId}/report.docx?lang=${language}`} download>
              {t('cons.mod.reportDocx')}
            </a>
            <a className="button secondary" href={`/api/plans/${consultation.planId}/report.xlsx?lang=${language}`} download>
              {t('cons.mod.reportXlsx')}
            </a>
            <a className="button secondary" href={`/api/consultations/${consultation.id}/export.json`} download>
              {t('cons.mod.openData')}
            </a>
            {consultation.state !== 'closed' && (
              <button type="button" className="secondary" onClick={() => act(() => api.closeConsultation(consultation.id))}>
                {t('cons.mod.close')}
              </button>
            )}
          </p>
        </div>
      )}
      <div className="field cons-filter">
        <label htmlFor="cons-filter">{t('cons.mod.show')}</label>
        <select id="cons-filter" value={filter} onChange={(event) => setFilter(event.target.value as typeof filter)}>
          {(['pending', 'published', 'hidden', 'all'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`cons.mod.filter.${value}`)} ({value === 'all' ? submissions.length : submissions.filter((s) => s.status === value).length})
            </option>
          ))}
        </select>
      </div>
      <ol className="cons-queue">
        {shown.map((s) => (
          <SubmissionCard key={s.id} submission={s} all={submissions} labelOf={labelOf} items={items} act={act} date={date} />
        ))}
      </ol>
      {shown.length === 0 && <p>{t('cons.mod.empty')}</p>}
      <details className="cons-log">
        <summary>{t('cons.mod.log', { n: log.length })}</summary>
        <ol>
          {log.map((entry) => (
            <li key={entry.id}>
              {date(entry.at)} · {entry.actorName ?? '–'} · {t(`cons.mod.action.${entry.action}` as never)} ·{' '}
              {submissions.find((s) => s.id === entry.submissionId)?.reference}
              {typeof entry.detail.reason === 'string' && ` · ${entry.detail.reason}`}
            </li>
          ))}
        </ol>
      </details>
    </Layout>
  );
}

function SubmissionCard({
  submission: s,
  all,
  labelOf,
  items,
  act,
  date,
}: {
  submission: Submission;
  all: Submission[];
  labelOf(id: string): string;
  items: PublicConsultation['plan']['perspectives'][number]['items'];
  act(action: () => Promise<unknown>): Promise<void>;
  date(iso: string): string;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'hide' | 'copy' | 'split' | 'assess' | null>(null);
  const [parts, setParts] = useState(2);
  // [CONS-22] Someone else's newer assessment: shown, and the planner's own text kept in the form.
  const [conflict, setConflict] = useState<AssessConflict | null>(null);
  const isSplit = all.some((other) => other.splitFrom === s.id);
  const headingId = `sub-${s.id}`;

  const submitForm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const done = () => {
      setMode(null);
      setConflict(null);
    };
    if (mode === 'hide') void act(() => api.hideSubmission(s.id, s.version, text('reason'))).then(done);
    if (mode === 'copy') void act(() => api.markCopy(s.id, s.version, text('copyOf'))).then(done);
    if (mode === 'assess') {
      const seen = conflict?.version ?? s.assessment?.version ?? 0;
      void act(async () => {
        try {
          await api.assessSubmission(s.id, text('status') as never, text('justification'), seen);
          done();
        } catch (caught) {
          const current = caught instanceof ApiError && caught.code === 'version_conflict' ? conflictSchema.safeParse(caught.current) : null;
          if (!current?.success) throw caught;
          setConflict(current.data);
        }
      });
    }
    if (mode === 'split') {
      const list = Array.from({ length: parts }, (_, i) => ({ text: text(`part-${i}`), itemIds: form.getAll(`items-${i}`).map(String).filter(Boolean) }));
      void act(() => api.splitSubmission(s.id, s.version, list)).then(done);
    }
  };

  return (
    <li className={`cons-card cons-${s.status}`} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {s.reference} · {s.name}
        {s.organisation && ` (${s.organisation})`} · {t(`cons.role.${s.role}`)}
      </h2>
      <p className="muted">
        {date(s.submittedAt)} · {t(`cons.mod.filter.${s.status}`)}
        {s.hiddenReason && ` · ${s.hiddenReason}`}
        {s.splitFrom && ` · ${t('cons.mod.partOf', { reference: all.find((o) => o.id === s.splitFrom)?.reference ?? '' })}`}
        {isSplit && ` · ${t('cons.mod.wasSplit')}`}
      </p>
      <p>{s.itemIds.length ? s.itemIds.map(labelOf).join(', ') : t('cons.general')}</p>
      <p className="cons-text">{s.text}</p>
      {s.attachments.length > 0 && (
        <ul className="cons-attachments">
          {s.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/attachments/${a.id}`} download>
                {a.name}
              </a>{' '}
              ({Math.ceil(a.bytes / 1024)} kB)
            </li>
          ))}
        </ul>
      )}
      {s.assessment && (
        <p>
          <strong>{statusLabel(s.assessment.status, t)}</strong>: {s.assessment.justification}
        </p>
      )}
      <p className="actions">
        {s.status !== 'published' && (
          <button type="button" onClick={() => act(() => api.publishSubmission(s.id, s.version))}>
            {t('cons.mod.publish')}
          </button>
        )}
        {s.status !== 'hidden' && (
          <button type="button" className="secondary" onClick={() => setMode('hide')}>
            {t('cons.mod.hide')}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setMode('copy')}>
          {t('cons.mod.copy')}
        </button>
        {!s.splitFrom && (
          <button type="button" className="secondary" onClick={() => setMode('split')}>
            {t('cons.mod.split')}
          </button>
        )}
        {!isSplit && (
          <button type="button" className="secondary" onClick={() => setMode('assess')}>
            {t('cons.mod.assess')}
          </button>
        )}
      </p>
      {mode && (
        <form className="cons-mod-form" onSubmit={submitForm} aria-label={t(`cons.mod.${mode}`)}>
          {mode === 'hide' && (
            <div className="field">
              <label htmlFor={`${s.id}-reason`}>{t('cons.mod.reason')}</label>
              <input id={`${s.id}-reason`} name="reason" required autoFocus />
            </div>
          )}
          {mode === 'copy' && (
            <div className="field">
              <label htmlFor={`${s.id}-copy`}>{t('cons.mod.copyOf')}</label>
              <select id={`${s.id}-copy`} name="copyOf" autoFocus>
                {all
                  .filter((o) => o.id !== s.id && !o.splitFrom)
                  .map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.reference} · {shortText(o.text || o.name)}
                    </option>
                  ))}
              </select>
            </div>
          )}
          {mode === 'assess' && (
            <>
              {conflict && (
                <p className="conflict" role="alert">
                  <strong>{t('syn.input.conflict')}</strong> {statusLabel(conflict.status, t)}: «{conflict.justification}» {t('cons.mod.assessAgain')}
                </p>
              )}
              <div className="field">
                <label htmlFor={`${s.id}-status`}>{t('cons.mod.status')}</label>
                <select id={`${s.id}-status`} name="status" defaultValue={s.assessment?.status ?? 'accepted'} autoFocus>
                  {assessmentStatuses.map((status) => (
                    <option key={status} value={status}>
                      {statusLabel(status, t)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${s.id}-justification`}>{t('cons.mod.justification')}</label>
                <textarea id={`${s.id}-justification`} name="justification" rows={3} defaultValue={s.assessment?.justification ?? ''} required />
              </div>
            </>
          )}
          {mode === 'split' &&
            Array.from({ length: parts }, (_, i) => (
              <fieldset key={i} className="cons-part">
                <legend>{t('cons.mod.part', { n: i + 1 })}</legend>
                <div className="field">
                  <label htmlFor={`${s.id}-part-${i}`}>{t('cons.mod.partText')}</label>
                  <textarea id={`${s.id}-part-${i}`} name={`part-${i}`} rows={3} required />
                </div>
                <div className="field">
                  <label htmlFor={`${s.id}-items-${i}`}>{t('cons.mod.partItems')}</label>
                  <select id={`${s.id}-items-${i}`} name={`items-${i}`} multiple size={Math.min(6, items.length)}>
                    {items.map((item) => (
                      <option key={item.id} value={item.id}>
                        {labelOf(item.id)}: {shortText(item.text)}
                      </option>
                    ))}
                  </select>
                </div>
              </fieldset>
            ))}
          <p className="actions">
            {mode === 'split' && (
              <button type="button" className="secondary" onClick={() => setParts(parts + 1)}>
                {t('cons.mod.addPart')}
              </button>
            )}
            <button type="submit">{t('common.save')}</button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setMode(null);
                setConflict(null);
              }}
            >
              {t('common.cancel')}
            </button>
          </p>
        </form>
      )}
    </li>
  );
}
