import { useState } from 'react';
import type { IdentitySuggestions } from '../../../contract/placement.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';

export type AuthorSuggestionView = IdentitySuggestions['authors'][number];
/** Whether an author suggestion can be accepted now: done already, or its participant is in another group (merge first). */
export type AuthorState = 'open' | 'done' | 'otherGroup';

/**
 * [PLACE-7] The groups the import's unlabelled posters probably were, with the evidence; one press
 * merges one (nothing is merged by itself). [PLACE-8] Authors named beside lapper are listed with
 * theirs, each with a button that sets the author.
 */
export function GroupSuggestions(props: {
  workshopId: string;
  found: IdentitySuggestions;
  authorState: (suggestion: AuthorSuggestionView) => AuthorState;
  acceptAuthor: (suggestion: AuthorSuggestionView) => void;
}) {
  const { workshopId, found, authorState, acceptAuthor } = props;
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const [error, setError] = useState<unknown>(null);
  const [merged, setMerged] = useState<ReadonlySet<string>>(new Set());

  if (error) return <ErrorMessage error={error} />;
  if (found.groups.length === 0 && found.authors.length === 0) return null;

  async function merge(groupId: string, groupName: string, intoGroupId: string, intoGroupName: string) {
    try {
      await api.mergeGroup(workshopId, groupId, intoGroupId);
      setMerged((before) => new Set(before).add(groupId));
      announce(t('place.groups.merged', { from: groupName, into: intoGroupName }));
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section className="place-identities" aria-labelledby="place-groups-heading">
      <h2 id="place-groups-heading">{t('place.groups.heading')}</h2>
      <p>{t('place.groups.intro')}</p>
      <ul>
        {found.groups.map((g) => (
          <li key={g.groupId}>
            <p>
              <strong>{g.groupName}</strong> → {g.intoGroupName}
            </p>
            <ul>
              {g.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
            {merged.has(g.groupId) ? (
              <p className="success">{t('place.groups.merged', { from: g.groupName, into: g.intoGroupName })}</p>
            ) : (
              <button type="button" className="secondary" onClick={() => void merge(g.groupId, g.groupName, g.intoGroupId, g.intoGroupName)}>
                {t('place.groups.merge', { from: g.groupName, into: g.intoGroupName })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {found.authors.length > 0 && (
        <details>
          <summary>{plural('place.authors.heading', found.authors.length)}</summary>
          <ul>
            {found.authors.map((a) => {
              const state = authorState(a);
              return (
                <li key={a.noteId}>
                  {a.name}: {a.evidence}{' '}
                  {state === 'done' && <span className="success">{t('place.authors.accepted', { name: a.name })}</span>}
                  {state === 'otherGroup' && <span className="muted">{t('place.authors.otherGroup', { name: a.name })}</span>}
                  {state === 'open' && (
                    <button type="button" className="secondary" onClick={() => acceptAuthor(a)}>
                      {t('place.authors.accept', { name: a.name })}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </section>
  );
}
