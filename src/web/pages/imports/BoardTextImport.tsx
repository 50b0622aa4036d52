import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { ImportResult } from '../../../contract/imports.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { ImportReportView } from './ImportReportView.js';
import { readChosenFile } from './readFile.js';

type Request = Parameters<typeof api.importBoardText>[0];

type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'already'; workshopId: string | null; fileName: string }
  | { kind: 'notExport'; message: string }
  | { kind: 'error'; error: unknown };

/** Upload a whiteboard's text export; shows the import report, or the choice when the file was imported before. */
export function BoardTextImport() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [readError, setReadError] = useState(false);
  const lastRequest = useRef<Request | null>(null);
  const focusTarget = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (state.kind === 'done' || state.kind === 'already') focusTarget.current?.focus();
  }, [state.kind]);

  async function run(request: Request) {
    lastRequest.current = request;
    setState({ kind: 'working' });
    announce(t('imp.working'));
    try {
      const result = await api.importBoardText(request);
      setState({ kind: 'done', result });
      announce(t('imp.board.done', { posters: result.report.posters, notes: result.report.notesPlaced + result.report.notesUnplaced }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'already_imported') {
        const current = error.current as { workshopId?: string } | undefined;
        setState({ kind: 'already', workshopId: current?.workshopId ?? null, fileName: request.fileName ?? '' });
      } else if (error instanceof ApiError && error.code === 'not_an_export') {
        setState({ kind: 'notExport', message: error.message });
      } else {
        setState({ kind: 'error', error });
      }
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = await readChosenFile(form.get('file'));
    setReadError(file === null);
    if (!file) return;
    const optional = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const horizon = optional('horizonYear');
    await run({
      text: file.text,
      fileName: file.name,
      title: optional('title'),
      municipality: optional('municipality'),
      horizonYear: horizon ? Number(horizon) : undefined,
    });
  }

  function replace() {
    if (!lastRequest.current || !window.confirm(t('imp.already.confirm'))) return;
    void run({ ...lastRequest.current, replace: true });
  }

  const error = state.kind === 'error' ? state.error : null;
  return (
    <>
      <section aria-labelledby="import-board" className="import-section">
        <h2 id="import-board">{t('imp.board.heading')}</h2>
        <p>{t('imp.board.help')}</p>
        <form className="narrow" onSubmit={submit}>
          <TextField label={t('imp.board.file')} hint={t('imp.board.fileHint')} name="file" type="file" accept=".txt,text/plain" required />
          <TextField label={t('imp.board.title')} name="title" maxLength={200} error={fieldError(error, 'title')} />
          <TextField label={t('imp.board.municipality')} hint={t('imp.board.municipalityHint')} name="municipality" maxLength={120} error={fieldError(error, 'municipality')} />
          <TextField label={t('imp.board.horizonYear')} name="horizonYear" type="number" min={2000} max={2200} error={fieldError(error, 'horizonYear')} />
          {readError && (
            <p className="error" role="alert">
              {t('imp.readFailed')}
            </p>
          )}
          <button type="submit" disabled={state.kind === 'working'}>
            {t('imp.board.submit')}
          </button>
        </form>

        {state.kind === 'working' && <p className="notice">{t('imp.working')}</p>}
        {state.kind === 'notExport' && (
          <div className="error-box" role="alert">
            <p className="error">{t('imp.notExport')}</p>
            <p>{state.message}</p>
          </div>
        )}
        <ErrorMessage error={error} />
        {state.kind === 'already' && (
          <div className="already-imported">
            <h3 ref={focusTarget} tabIndex={-1}>
              {t('imp.already.title')}
            </h3>
            <p>{t('imp.already.body', { file: state.fileName })}</p>
            <div className="toolbar">
              {state.workshopId && (
                <Link className="button" to={`/workshops/${state.workshopId}`}>
                  {t('imp.already.open')}
                </Link>
              )}
              <button type="button" className="secondary" onClick={replace}>
                {t('imp.already.replace')}
              </button>
            </div>
          </div>
        )}
      </section>
      {state.kind === 'done' && (
        <section aria-labelledby="import-report" className="report-section">
          <h2 id="import-report" ref={focusTarget} tabIndex={-1}>
            {t('imp.report.heading')}
          </h2>
          <ImportReportView report={state.result.report} workshopId={state.result.workshopId} />
        </section>
      )}
    </>
  );
}
