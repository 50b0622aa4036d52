import type { OverviewInput } from '../../../contract/synthesis.schema.js';
import { useI18n } from '../../i18n/i18n.js';
import { AssessmentControl, AssessmentSummary, assessInput, type Assessment } from './AssessmentControl.js';

export interface InputActions {
  canEdit: boolean;
  onInputAssessed(inputId: string, assessment: Assessment): void;
}

/** [CONS-20] The høring inputs of an item (or on no item), beside its lapper. */
export function InputList({ inputs, actions, label }: { inputs: OverviewInput[]; actions: InputActions; label?: string }) {
  return (
    <ul className="syn-notes syn-inputs" aria-label={label}>
      {inputs.map((input) => (
        <InputCard key={input.id} input={input} actions={actions} />
      ))}
    </ul>
  );
}

/**
 * One høring input: its reference and consultation, who sent it as the consultation publishes it
 * (the role when names are not published), the text as typed, attachments for planners, and its
 * assessment with the same statuses as a lapp's.
 */
function InputCard({ input, actions }: { input: OverviewInput; actions: InputActions }) {
  const { t } = useI18n();
  return (
    <li className="syn-note syn-input" data-input-id={input.id}>
      <p className="syn-note-head">
        <span className="syn-kind">{t('syn.input.kind', { reference: input.reference })}</span>
        <span>{t('syn.input.source', { title: input.consultation.title })}</span>
        <span>· {input.submitter ?? t(`cons.role.${input.role}`)}</span>
      </p>
      {input.text ? <p className="syn-note-text">{input.text}</p> : <p className="syn-note-text muted">{t('syn.input.inAttachment')}</p>}
      {input.theme && <p className="syn-note-theme">{t('syn.themeOf', { label: input.theme.label })}</p>}
      {actions.canEdit && input.attachments.length > 0 && (
        <p className="syn-input-files">
          {t('syn.input.attachments')}:{' '}
          {input.attachments.map((file, index) => (
            <span key={file.id}>
              {index > 0 && ', '}
              <a href={`/api/attachments/${file.id}`} download>
                {file.name}
              </a>
            </span>
          ))}
        </p>
      )}
      {actions.canEdit ? (
        <AssessmentControl
          note={input}
          onSaved={actions.onInputAssessed}
          assess={assessInput}
          legend={t('syn.input.legend', { reference: input.reference })}
          conflictText={t('syn.input.conflict')}
        />
      ) : (
        <AssessmentSummary note={input} />
      )}
    </li>
  );
}
