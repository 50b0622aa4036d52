import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { LapperCsvResult } from '../../../contract/imports.schema.js';
import type { PlanSummary } from '../../../contract/plans.schema.js';
import type { WorkshopSummary } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n, type Translate } from '../../i18n/i18n.js';
import { readChosenFile } from './readFile.js';

const EXAMPLE = `gruppe;plakat;punkt;forfatter;type;tekst
Gruppe 1;Sosial bærekraft / Del 1;Delmål 2;Stein;kommentar;"Bør presiseres; gjelder alle aldre"
Gruppe 1;Sosial bærekraft / Del 2;Strategi 4;Dina;alternativ formulering;Styrke samarbeidet med frivilligheten
Gruppe 2;Sosial bærekraft / Del 1;;;spørsmål;Hva menes med «godt å bo»?`;

type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; result: LapperCsvResult; workshop: WorkshopSummary }
  | { kind: 'problems'; lines: string[] }
  | { kind: 'error'; error: unknown };

/** Lapper typed in from a paper workshop, added to an existing workshop (docs/formats/lapper-csv.md). */
export function LapperCsvImport({ initialWorkshopId }: { initialWorkshopId: string | null }) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const selectId = useId();
  const [plans, setPlans] = useState<Array<{ plan: PlanSummary; workshops: WorkshopSummary[] }> | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    api
      .listPlans()
      .then((list) => Promise.all(list.map(async (plan) => ({ plan, workshops: await api.listWorkshops(plan.id) }))))
      .then(setPlans, setLoadError);
  }, []);

  const workshops = plans?.flatMap((entry) => entry.workshops) ?? [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const workshop = workshops.find((w) => w.id === form.get('workshopId'));
    if (!workshop) return;
    const file = await readChosenFile(form.get('file'));
    if (!file) return setState({ kind: 'problems', lines: [t('imp.readFailed')] });
    setState({ kind: 'working' });
    try {
      const result = await api.importLapperCsv(workshop.id, file.text);
      setState({ kind: 'done', result, workshop });
      announce(plural('imp.csv.done', result.imported, { workshop: workshop.title }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'validation_failed' && error.fields.length > 0) {
        setState({ kind: 'problems', lines: error.fields.map((field) => describeLine(field.path, field.message, t)) });
      } else {
        setState({ kind: 'error', error });
      }
    }
  }

  return (
    <section aria-labelledby="import-csv" className="import-section" id="csv">
      <h2 id="import-csv">{t('imp.csv.heading')}</h2>
      <p>{t('imp.csv.help')}</p>
      <details className="format-help">
        <summary>{t('imp.csv.format')}</summary>
        <dl>
          {(['group', 'poster', 'item', 'author', 'kind', 'text'] as const).map((column) => (
            <div key={column}>
              <dt>
                <code>{COLUMN_NAMES[column]}</code>
              </dt>
              <dd>{t(`imp.csv.col.${column}`)}</dd>
            </div>
          ))}
        </dl>
        <p>{t('imp.csv.example')}:</p>
        <pre className="csv-example" tabIndex={0}>{EXAMPLE}</pre>
      </details>
      <ErrorMessage error={loadError} />
      {plans && workshops.length === 0 && <p>{t('imp.csv.noWorkshops')}</p>}
      {workshops.length > 0 && (
        <form className="narrow" onSubmit={submit}>
          <div className="field">
            <label htmlFor={selectId}>{t('imp.csv.workshop')}</label>
            <select id={selectId} name="workshopId" required defaultValue={workshops.some((w) => w.id === initialWorkshopId) ? initialWorkshopId! : ''}>
              <option value="">{t('imp.csv.chooseWorkshop')}</option>
              {plans!
                .filter((entry) => entry.workshops.length > 0)
                .map(({ plan, workshops: own }) => (
                  <optgroup key={plan.id} label={plan.title}>
                    {own.map((workshop) => (
                      <option key={workshop.id} value={workshop.id}>
                        {workshop.title}
                      </option>
                    ))}
                  </optgroup>
                ))}
            </select>
          </div>
          <TextField label={t('imp.csv.file')} hint={t('imp.csv.fileHint')} name="file" type="file" accept=".csv,text/csv,text/plain" required />
          <button type="submit" disabled={state.kind === 'working'}>
            {t('imp.csv.submit')}
          </button>
        </form>
      )}
      {state.kind === 'working' && <p className="notice">{t('imp.working')}</p>}
      {state.kind === 'problems' && (
        <div className="error-box" role="alert">
          <p className="error">{t('imp.csv.problems')}</p>
          <ul className="csv-problems">
            {state.lines.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {state.kind === 'error' && <ErrorMessage error={state.error} />}
      {state.kind === 'done' && (
        <div className="success">
          <p>
            {plural('imp.csv.done', state.result.imported, { workshop: state.workshop.title })}
            {state.result.groupsCreated.length > 0 && <> {t('imp.csv.groupsCreated', { groups: state.result.groupsCreated.join(', ') })}</>}
          </p>
          <p>
            <Link to={`/workshops/${state.workshop.id}/synthesis`}>{t('imp.csv.openSynthesis', { workshop: state.workshop.title })}</Link>
          </p>
        </div>
      )}
    </section>
  );
}

const COLUMN_NAMES = { group: 'gruppe', poster: 'plakat', item: 'punkt', author: 'forfatter', kind: 'type', text: 'tekst' } as const;

/** "line 3" from the server becomes "Rad 3: …"; a problem with the whole file is shown as it is. */
function describeLine(path: string, message: string, t: Translate): string {
  const line = /^line (\d+)$/.exec(path)?.[1];
  return line ? `${t('imp.csv.line', { line })}: ${message}` : message;
}
