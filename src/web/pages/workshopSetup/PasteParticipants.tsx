import { useId, useMemo, useState, type FormEvent } from 'react';
import { MAX_PASTE_LINES, readParticipantLines } from '../../../domain/participantLines.js';
import type { Workshop, WorkshopGroup } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

/**
 * Paste a list, one person a line. The browser reads it with the server's own rules and shows
 * each problem by line before anything is sent; the server checks again and adds all or nothing.
 */
export function PasteParticipants({ workshop, group, actions }: { workshop: Workshop; group: WorkshopGroup; actions: WorkshopActions }) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reading = useMemo(() => readParticipantLines(text, group.participants.map((p) => p.name)), [text, group.participants]);
  const tooMany = reading.lineCount > MAX_PASTE_LINES;
  const problems = reading.problems.slice(0, 20);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await api.pasteParticipants(workshop.id, group.id, text);
      setText('');
      setError(null);
      actions.replace(result.workshop);
      announce(plural('ws.pasteDone', result.added, { group: group.name }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="paste-form" onSubmit={submit}>
      <label htmlFor={id}>
        {t('ws.pasteLabel')}
        <span className="visually-hidden"> {group.name}</span>
      </label>
      <span id={`${id}-hint`} className="hint">
        {t('ws.pasteHint')}
      </span>
      <textarea
        id={id}
        rows={4}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-describedby={`${id}-hint ${id}-status`}
        placeholder="Stein; Rødt; FSK"
      />
      <div id={`${id}-status`}>
        {text.trim() !== '' && (
          <p className={reading.problems.length > 0 || tooMany ? 'field-error' : 'muted'}>
            {tooMany
              ? plural('ws.pasteTooMany', reading.lineCount, { max: MAX_PASTE_LINES })
              : t('ws.pasteSummary', { ready: reading.participants.length, problems: reading.problems.length })}
          </p>
        )}
        {problems.length > 0 && (
          <ul className="paste-problems">
            {problems.map(({ line, problem }) => (
              <li key={line}>{t(`ws.problem.${problem}`, { line })}</li>
            ))}
            {reading.problems.length > problems.length && <li>…</li>}
          </ul>
        )}
      </div>
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy || reading.participants.length === 0 || reading.problems.length > 0 || tooMany}>
        {t('ws.pasteSubmit')}
        <span className="visually-hidden"> {group.name}</span>
      </button>
    </form>
  );
}
