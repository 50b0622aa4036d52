import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { readChosenFile } from './readFile.js';

type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; workshopId: string }
  | { kind: 'exists'; workshopId: string | null }
  | { kind: 'problem'; message: string; details: string[] }
  | { kind: 'error'; error: unknown };

/** Reads an open-data export (innspill.workshop-export) back in. */
export function JsonImport() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = await readChosenFile(new FormData(event.currentTarget).get('file'));
    if (!file) return setState({ kind: 'problem', message: t('imp.readFailed'), details: [] });
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch {
      return setState({ kind: 'problem', message: t('imp.json.notJson'), details: [] });
    }
    setState({ kind: 'working' });
    announce(t('imp.working'));
    try {
      const result = await api.importWorkshopJson(json);
      setState({ kind: 'done', workshopId: result.workshopId });
      announce(t('imp.json.done'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'already_imported') {
        setState({ kind: 'exists', workshopId: (error.current as { workshopId?: string } | undefined)?.workshopId ?? null });
      } else if (error instanceof ApiError && error.code === 'not_an_export') {
        setState({ kind: 'problem', message: t('imp.json.notExport'), details: error.fields.map((field) => `${field.path || '/'}: ${field.message}`) });
      } else {
        setState({ kind: 'error', error });
      }
    }
  }

  return (
    <section aria-labelledby="import-json" className="import-section">
      <h2 id="import-json">{t('imp.json.heading')}</h2>
      <p>{t('imp.json.help')}</p>
      <form className="narrow" onSubmit={submit}>
        <TextField label={t('imp.json.file')} name="file" type="file" accept=".json,application/json" required />
        <button type="submit" disabled={state.kind === 'working'}>
          {t('imp.json.submit')}
        </button>
      </form>
      {state.kind === 'working' && <p className="notice">{t('imp.working')}</p>}
      {state.kind === 'problem' && (
        <div className="error-box" role="alert">
          <p className="error">{state.message}</p>
          {state.details.length > 0 && (
            <ul>
              {state.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {state.kind === 'exists' && (
        <div className="error-box" role="alert">
          <p className="error">{t('imp.json.exists')}</p>
          {state.workshopId && <Link to={`/workshops/${state.workshopId}`}>{t('imp.json.openExisting')}</Link>}
        </div>
      )}
      {state.kind === 'error' && <ErrorMessage error={state.error} />}
      {state.kind === 'done' && (
        <p className="success">
          {t('imp.json.done')} <Link to={`/workshops/${state.workshopId}`}>{t('imp.json.open')}</Link>
        </p>
      )}
    </section>
  );
}
