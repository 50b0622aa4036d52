import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { formatJoinCode, JOIN_CODE_LENGTH, normaliseJoinCode } from '../../../domain/workshops.js';
import type { JoinInfo, ParticipantSession } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ApiError, setCsrfToken } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { Layout } from '../../components/Layout.js';
import { useI18n, useWorkshopLanguage } from '../../i18n/i18n.js';
import { ClaimedName } from './ClaimedName.js';
import './join.css';

/** `/join` asks for the code; `/join/:code` (what the QR code opens) goes straight to the groups. */
export function JoinPage() {
  const { code } = useParams();
  return code ? <PickName key={code} code={code} /> : <EnterCode />;
}

/** Where the participant's poster page lives (the live module's route). */
export const participantHome = (workshopId: string) => `/w/${workshopId}`;

/**
 * The CSRF token this browser must send. A participant cookie from an earlier workshop binds its
 * own token, so ask the server before joining again.
 */
export async function prepareCsrf(): Promise<ParticipantSession | null> {
  try {
    const session = await api.participantSession();
    setCsrfToken(session.csrfToken);
    return session;
  } catch {
    return null;
  }
}

function EnterCode() {
  const { t } = useI18n();
  const navigate = useNavigate();
  // Sent here by the live page when the facilitator removed or changed this participant.
  const [params] = useSearchParams();
  const [problem, setProblem] = useState<string | undefined>();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = normaliseJoinCode(String(new FormData(event.currentTarget).get('code')));
    if (!code) {
      setProblem(t('join.codeInvalid', { length: JOIN_CODE_LENGTH }));
      return;
    }
    navigate(`/join/${code}`);
  }

  return (
    <Layout title={t('join.title')}>
      <div className="join-page">
        {params.get('why') === 'accessChanged' && (
          <p className="notice" role="status">
            {t('join.accessChanged')}
          </p>
        )}
        <p>{t('join.intro')}</p>
        <form onSubmit={submit} noValidate>
          <TextField
            label={t('join.code')}
            hint={t('join.codeHint')}
            error={problem}
            name="code"
            className="code-input"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            required
            autoFocus
          />
          <button type="submit" className="big-button">
            {t('join.continue')}
          </button>
        </form>
      </div>
    </Layout>
  );
}

function PickName({ code }: { code: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [current, setCurrent] = useState<ParticipantSession | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [joinError, setJoinError] = useState<unknown>(null);
  const [claimed, setClaimed] = useState<{ id: string; name: string } | null>(null);
  useWorkshopLanguage(info?.workshop.language);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    api.lookupJoinCode(code).then((next) => {
      setInfo(next);
      if (next.groups.length === 1) setGroupId(next.groups[0]!.id);
    }, setError);
    void prepareCsrf().then(setCurrent);
  }, [code]);

  // Moving between the steps moves focus to the new step's heading, so screen readers follow.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [groupId]);

  async function pick(participantId: string) {
    if (!info) return;
    setBusy(true);
    try {
      await prepareCsrf();
      const session = await api.join(code, participantId);
      setCsrfToken(session.csrfToken);
      navigate(participantHome(session.workshop.id));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'name_claimed') {
        const name = info.groups.flatMap((g) => g.participants).find((p) => p.id === participantId)?.name ?? '';
        setClaimed({ id: participantId, name });
      } else setJoinError(caught);
      setBusy(false);
    }
  }

  if (!info) {
    return (
      <Layout title={t('join.title')}>
        <div className="join-page">
          {error ? (
            <>
              <p className="error" role="alert">
                {lookupProblem(error, code, t)}
              </p>
              <p>
                <Link to="/join" className="button big-button">
                  {t('join.tryAgain')}
                </Link>
              </p>
            </>
          ) : (
            <p>{t('common.loading')}</p>
          )}
        </div>
      </Layout>
    );
  }

  const group = info.groups.find((g) => g.id === groupId) ?? null;
  const alreadyHere = current?.workshop.id === info.workshop.id ? current : null;

  return (
    <Layout title={info.workshop.title}>
      <div className="join-page">
        {info.workshop.state === 'closed' && <p className="notice">{t('join.closed')}</p>}
        {alreadyHere && (
          <div className="notice">
            <p>{t('join.alreadyJoined', { name: alreadyHere.participant.name, group: alreadyHere.participant.groupName })}</p>
            <Link className="button big-button" to={participantHome(info.workshop.id)}>
              {t('join.continueAs', { name: alreadyHere.participant.name })}
            </Link>
          </div>
        )}
        {claimed ? (
          <ClaimedName code={code} participant={claimed} onJoined={(workshopId) => navigate(participantHome(workshopId))} onBack={() => setClaimed(null)} />
        ) : !group ? (
          <>
            <h2 ref={stepHeading} tabIndex={-1}>
              {t('join.pickGroup')}
            </h2>
            {info.groups.length === 0 && <p>{t('join.noGroups')}</p>}
            <ul className="choices">
              {info.groups.map((g) => (
                <li key={g.id}>
                  <button type="button" className="choice" onClick={() => setGroupId(g.id)}>
                    {g.name}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <h2 ref={stepHeading} tabIndex={-1}>
              {t('join.pickName', { group: group.name })}
            </h2>
            {group.participants.length === 0 && <p>{t('join.noNames')}</p>}
            <ul className="choices" aria-label={t('join.namesIn', { group: group.name })}>
              {group.participants.map((participant) => (
                <li key={participant.id}>
                  <button type="button" className="choice" disabled={busy} onClick={() => pick(participant.id)}>
                    {participant.name}
                  </button>
                </li>
              ))}
            </ul>
            <ErrorMessage error={joinError} />
            <p className="hint">{t('join.nameMissing')}</p>
            {info.groups.length > 1 && (
              <button type="button" className="secondary big-button" onClick={() => setGroupId(null)}>
                {t('join.backToGroups')}
              </button>
            )}
          </>
        )}
      </div>
    </Layout>
  );
}

function lookupProblem(error: unknown, code: string, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError && error.code === 'not_found') {
    const shown = normaliseJoinCode(code);
    return t('join.unknownCode', { code: shown ? formatJoinCode(shown) : code });
  }
  if (error instanceof ApiError && error.code === 'workshop_not_open') return t('join.notOpen');
  if (error instanceof ApiError && error.code === 'rate_limited') return t('error.rate_limited', { seconds: error.retryAfterSeconds ?? 60 });
  return t(error instanceof ApiError && error.code === 'network' ? 'error.network' : 'error.internal');
}
