import { useState } from 'react';
import type { OverviewNote } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import { collectNotes } from './filters.js';
import { authorLabel, shortText } from './labels.js';

interface Pair {
  keep: OverviewNote;
  duplicate: OverviewNote;
  similarity: number;
}

/** Lapper that look like copies of each other (the paper workshop copied some twice); a planner merges a copy into the lapp kept. */
export function NearDuplicates({ workshopId, canEdit, reload }: { workshopId: string; canEdit: boolean; reload(): Promise<void> }) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const [pairs, setPairs] = useState<Pair[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function find() {
    setBusy(true);
    try {
      const [groups, notes] = await Promise.all([api.nearDuplicates(workshopId), collectNotes(workshopId, {})]);
      const byId = new Map(notes.map((note) => [note.id, note]));
      const found = groups.flatMap((group) => {
        const keep = byId.get(group.keep);
        return keep
          ? group.duplicates.flatMap((id) => {
              const duplicate = byId.get(id);
              return duplicate ? [{ keep, duplicate, similarity: group.similarity }] : [];
            })
          : [];
      });
      setPairs(found);
      setError(null);
      announce(plural('syn.duplicates.found', found.length));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function merge(pair: Pair) {
    setBusy(true);
    try {
      await api.mergeDuplicate(pair.duplicate.id, pair.keep.id);
      setPairs((current) => current?.filter((other) => other.duplicate.id !== pair.duplicate.id) ?? null);
      announce(t('syn.duplicates.merged'));
      await reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const describe = (note: OverviewNote) => `${note.group.name}, ${authorLabel(note, t)}`;

  return (
    <section className="syn-duplicates" aria-labelledby="duplicates-heading">
      <h3 id="duplicates-heading">{t('syn.duplicates')}</h3>
      <p>
        <button type="button" className="secondary" onClick={find} disabled={busy}>
          {t(pairs ? 'syn.duplicates.again' : 'syn.duplicates.find')}
        </button>
      </p>
      <ErrorMessage error={error} />
      {pairs?.length === 0 && <p className="muted">{t('syn.duplicates.none')}</p>}
      {pairs && pairs.length > 0 && (
        <ul className="syn-pairs">
          {pairs.map((pair) => (
            <li key={pair.duplicate.id}>
              <p>
                «{pair.keep.text}» <span className="muted">– {describe(pair.keep)}</span>
              </p>
              <p>
                «{pair.duplicate.text}» <span className="muted">– {describe(pair.duplicate)}</span>
              </p>
              <p className="muted">{t('syn.duplicates.similarity', { percent: Math.round(pair.similarity * 100) })}</p>
              {canEdit && (
                <ActionButton
                  className="secondary"
                  disabled={busy}
                  onClick={() => merge(pair)}
                  label={t('syn.duplicates.merge')}
                  target={shortText(pair.duplicate.text)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
