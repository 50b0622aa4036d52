import { useId, useState, type FormEvent } from 'react';
import { assessmentSchema, JUSTIFICATION_MAX, type AssessBody, type OverviewNote } from '../../../contract/synthesis.schema.js';
import type { AssessmentStatus } from '../../../contract/export.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { shortText, statusLabel } from './labels.js';
import { StatusSelect } from './StatusSelect.js';

export type Assessment = NonNullable<OverviewNote['assessment']>;

const conflictSchema = assessmentSchema.pick({ status: true, justification: true, version: true });

/** What is assessed: a lapp or a høring input, with its text and its assessment so far. */
export interface Assessable {
  id: string;
  text: string;
  assessment: Assessment | null;
}

type Assess = (id: string, body: AssessBody) => Promise<Omit<Assessment, 'assessedBy'>>;

/** A lapp's assessment, checked against the version the planner saw ([SYN-3]). */
export const assessLapp: Assess = (id, body) => api.assessNote(id, body);

/** [CONS-22] A høring input's assessment, through the consultation's own write path, checked against the version the planner saw. */
export const assessInput: Assess = async (id, body) => {
  const saved = await api.assessSubmission(id, body.status, body.justification, body.version ?? 0);
  // The server always answers an assessed input with its assessment.
  const { status, justification, assessedAt, version } = saved.assessment!;
  return { status, justification, assessedAt, version };
};

/** The merknadsbehandling of one lapp or høring input: status and justification; a newer assessment on the server is shown, never overwritten. */
export function AssessmentControl({
  note,
  onSaved,
  assess = assessLapp,
  legend,
  conflictText,
}: {
  note: Assessable;
  onSaved(id: string, assessment: Assessment): void;
  assess?: Assess;
  legend?: string;
  /** What the conflict says; a lapp's by default. */
  conflictText?: string;
}) {
  const { t } = useI18n();
  const { session } = useSession();
  const announce = useAnnounce();
  const id = useId();
  const [status, setStatus] = useState<AssessmentStatus | ''>(note.assessment?.status ?? '');
  const [justification, setJustification] = useState(note.assessment?.justification ?? '');
  const [conflict, setConflict] = useState<Assessment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // A newer assessment from elsewhere (a whole theme at once) replaces what the form shows.
  const version = note.assessment?.version ?? 0;
  const [shownVersion, setShownVersion] = useState(version);
  if (version !== shownVersion) {
    setShownVersion(version);
    setStatus(note.assessment?.status ?? '');
    setJustification(note.assessment?.justification ?? '');
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!status) return;
    setBusy(true);
    try {
      const saved = await assess(note.id, { status, justification, version: conflict?.version ?? note.assessment?.version ?? 0 });
      const assessment: Assessment = { ...saved, assessedBy: session?.user.name ?? null };
      setShownVersion(saved.version);
      setConflict(null);
      setError(null);
      onSaved(note.id, assessment);
      announce(t('syn.assess.saved', { status: statusLabel(saved.status, t) }));
    } catch (caught) {
      const current = caught instanceof ApiError && caught.code === 'version_conflict' ? conflictSchema.safeParse(caught.current) : null;
      if (current?.success) {
        setConflict({ ...current.data, assessedAt: new Date().toISOString(), assessedBy: null });
        setError(null);
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function acceptTheirs() {
    if (!conflict) return;
    setStatus(conflict.status);
    setJustification(conflict.justification);
    setShownVersion(conflict.version);
    onSaved(note.id, conflict);
    setConflict(null);
  }

  return (
    <form className="syn-assess" onSubmit={save}>
      <fieldset>
        <legend className="visually-hidden">{legend ?? t('syn.assess.legend', { text: shortText(note.text) })}</legend>
        <div className="field">
          <StatusSelect id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as AssessmentStatus)} />
        </div>
        <div className="field syn-justification">
          <label htmlFor={`${id}-justification`}>{t('syn.assess.justification')}</label>
          <textarea
            id={`${id}-justification`}
            value={justification}
            required
            rows={2}
            maxLength={JUSTIFICATION_MAX}
            aria-invalid={fieldError(error, 'justification') ? true : undefined}
            onChange={(event) => setJustification(event.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {conflict ? t('syn.assess.keepMine') : t('syn.assess.save')}
        </button>
      </fieldset>
      {note.assessment && !conflict && (
        <p className="syn-assessed muted">
          {t('syn.assess.current', { status: statusLabel(note.assessment.status, t) })}
          {note.assessment.assessedBy && ` ${t('syn.assess.by', { name: note.assessment.assessedBy })}`}
        </p>
      )}
      {conflict && (
        <div className="conflict" role="alert">
          <p>
            <strong>{conflictText ?? t('syn.assess.conflict')}</strong> {statusLabel(conflict.status, t)}: «{conflict.justification}»
          </p>
          <button type="button" className="secondary" onClick={acceptTheirs}>
            {t('syn.assess.useTheirs')}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}

/** What a facilitator sees instead of the form. */
export function AssessmentSummary({ note }: { note: Pick<OverviewNote, 'assessment'> }) {
  const { t } = useI18n();
  return (
    <p className="syn-assessed">
      {note.assessment ? (
        <>
          <strong>{statusLabel(note.assessment.status, t)}</strong>: {note.assessment.justification}
        </>
      ) : (
        <span className="muted">{t('syn.notAssessed')}</span>
      )}
    </p>
  );
}
