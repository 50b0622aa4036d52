import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { HONEYPOT_FIELD, SUBMISSION_FILES_MAX, SUBMISSION_TEXT_MAX, submitterRoles } from '../../../domain/consultation/consultation.js';
import type { PublicConsultation } from '../../../contract/consultation.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { describeError, ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import { itemLabel } from '../synthesis/labels.js';
import './consultation.css';

type FrozenItem = PublicConsultation['plan']['perspectives'][number]['items'][number];

/** The public page of a høring ([CONS-5]): the draft per perspective, "Gi innspill" per item and a general form. No account. */
export function ConsultationPage() {
  const { consultationId = '' } = useParams();
  const { t, language } = useI18n();
  const [consultation, setConsultation] = useState<PublicConsultation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [formFor, setFormFor] = useState<FrozenItem | 'general' | null>(null);

  useEffect(() => {
    api.publicConsultation(consultationId).then(setConsultation, setError);
  }, [consultationId]);

  const date = (iso: string) => new Date(iso).toLocaleDateString(language === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'long' });
  if (!consultation) {
    return (
      <Layout title={t('cons.title')}>
        <ErrorMessage error={error} />
        {!error && <p>{t('common.loading')}</p>}
      </Layout>
    );
  }
  const open = consultation.state === 'open';
  return (
    <Layout title={consultation.title}>
      <p className="cons-plan">{t('cons.draftOf', { plan: consultation.plan.title, municipality: consultation.plan.municipality })}</p>
      {consultation.introduction && <p className="cons-intro">{consultation.introduction}</p>}
      <p className={open ? 'notice' : 'notice warning'}>
        {consultation.state === 'open'
          ? t('cons.openUntil', { date: date(consultation.closesAt) })
          : consultation.state === 'not_open'
            ? t('cons.opensOn', { date: date(consultation.opensAt) })
            : t('cons.closedOn', { date: date(consultation.closesAt) })}
      </p>
      {consultation.plan.perspectives.map((perspective) => (
        <section key={perspective.id} className="cons-perspective" aria-labelledby={`p-${perspective.id}`}>
          <h2 id={`p-${perspective.id}`}>{perspective.title}</h2>
          <ul className="cons-items">
            {perspective.items.map((item) => (
              <li key={item.id} className="cons-item">
                <p>
                  <strong>{itemLabel(item, t)}</strong> {item.text}
                </p>
                {open &&
                  (formFor !== 'general' && formFor?.id === item.id ? (
                    <SubmissionForm consultationId={consultation.id} item={item} onCancel={() => setFormFor(null)} />
                  ) : (
                    <button type="button" className="secondary" onClick={() => setFormFor(item)} aria-label={t('cons.giveInputOn', { item: itemLabel(item, t) })}>
                      {t('cons.giveInput')}
                    </button>
                  ))}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {open && (
        <section aria-labelledby="cons-general" className="cons-general">
          <h2 id="cons-general">{t('cons.general')}</h2>
          <p>{t('cons.generalHint')}</p>
          {formFor === 'general' ? (
            <SubmissionForm consultationId={consultation.id} item={null} onCancel={() => setFormFor(null)} />
          ) : (
            <button type="button" onClick={() => setFormFor('general')}>
              {t('cons.writeGeneral')}
            </button>
          )}
        </section>
      )}
    </Layout>
  );
}

/** One submission: name, e-mail, organisation, who, text and up to five files; the answer is the receipt page. */
function SubmissionForm({ consultationId, item, onCancel }: { consultationId: string; item: FrozenItem | null; onCancel(): void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [text, setText] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const problem = (field: string) => (error instanceof ApiError ? error.fields.find((f) => f.path === field)?.message : undefined);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (item) form.append('itemIds', item.id);
    setSending(true);
    setError(null);
    try {
      const receipt = await api.submitToConsultation(consultationId, form);
      navigate(`/consultations/${consultationId}/receipt`, { state: receipt });
    } catch (caught) {
      setError(caught);
      setSending(false);
    }
  }

  const id = item ? item.id : 'general';
  return (
    <form className="cons-form" onSubmit={send} noValidate aria-label={item ? t('cons.formOn', { item: itemLabel(item, t) }) : t('cons.general')}>
      {error ? (
        <p className="error" role="alert">
          {describeError(error, t)}
        </p>
      ) : null}
      <Input id={`${id}-name`} name="name" label={t('cons.name')} required autoComplete="name" inputRef={first} error={problem('name')} />
      <Input id={`${id}-email`} name="email" type="email" label={t('cons.email')} hint={t('cons.emailHint')} autoComplete="email" error={problem('email')} />
      <Input id={`${id}-org`} name="organisation" label={t('cons.organisation')} autoComplete="organization" />
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('cons.role')}</label>
        <select id={`${id}-role`} name="role" defaultValue="private">
          {submitterRoles.map((role) => (
            <option key={role} value={role}>
              {t(`cons.role.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('cons.text')}</label>
        <span className="hint" id={`${id}-text-hint`}>
          {t(text.length === 1 ? 'common.characters.one' : 'common.characters.other', { count: text.length, max: SUBMISSION_TEXT_MAX })}
        </span>
        <textarea
          id={`${id}-text`}
          name="text"
          rows={6}
          maxLength={SUBMISSION_TEXT_MAX}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-describedby={`${id}-text-hint${problem('text') ? ` ${id}-text-error` : ''}`}
          aria-invalid={problem('text') ? true : undefined}
        />
        {problem('text') && (
          <span className="field-error" id={`${id}-text-error`}>
            {problem('text')}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-files`}>{t('cons.files')}</label>
        <span className="hint" id={`${id}-files-hint`}>
          {t('cons.filesHint', { max: SUBMISSION_FILES_MAX })}
        </span>
        <input id={`${id}-files`} name="files" type="file" multiple accept=".pdf,.docx,.odt,.jpg,.jpeg,.png" aria-describedby={`${id}-files-hint`} />
      </div>
      {/* Scripts fill every field; people never see this one ([CONS-7]). */}
      <div className="cons-trap" aria-hidden="true">
        <label htmlFor={`${id}-${HONEYPOT_FIELD}`}>Website</label>
        <input id={`${id}-${HONEYPOT_FIELD}`} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" />
      </div>
      <div className="actions">
        <button type="submit" disabled={sending}>
          {sending ? t('cons.sending') : t('cons.send')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Input({
  id,
  label,
  hint,
  error,
  inputRef,
  ...input
}: { id: string; label: string; hint?: string; error?: string; inputRef?: React.Ref<HTMLInputElement> } & React.InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <input id={id} type="text" ref={inputRef} aria-describedby={describedBy} aria-invalid={error ? true : undefined} {...input} />
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
