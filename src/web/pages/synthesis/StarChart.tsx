import type { Overview, OverviewItem } from '../../../contract/synthesis.schema.js';
import { useI18n } from '../../i18n/i18n.js';


interface Bar {
  label: string;
  count: number;
}

/** A bar chart as a table: every bar has its label and its number as text, so colour is never the only cue. */
function BarTable({ caption, rows }: { caption: string; rows: Bar[] }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  return (
    <table className="syn-bars">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>
              <span className="syn-bar-cell">
                <span className="syn-bar" aria-hidden="true" style={{ inlineSize: `${(row.count / max) * 100}%` }} />
                <span className="syn-bar-value">{row.count}</span>
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Star total of an item with compact charts per group and per party. */
export function StarChart({ item, groups }: { item: OverviewItem; groups: Overview['facets']['groups'] }) {
  const { t, plural } = useI18n();
  const { stars } = item;
  const starrable = item.kind === 'strategy' || item.kind === 'land_use_strategy';
  if (stars.total === 0 && !starrable) return null;
  const byGroup = groups.flatMap((group) => {
    const count = stars.byGroup.find((entry) => entry.groupId === group.id)?.count ?? 0;
    return count > 0 ? [{ label: group.name, count }] : [];
  });
  return (
    <div className="syn-stars">
      <p className="syn-star-total">
        <span aria-hidden="true">★ </span>
        <strong>{plural('syn.stars', stars.total)}</strong>
        {stars.total > 0 && (
          <>
            {' · '}
            {t('syn.stars.spread', {
              groups: plural('syn.stars.groups', item.groupsStarring),
              parties: plural('syn.stars.parties', item.partiesStarring),
            })}
          </>
        )}
      </p>
      {stars.total > 0 && (
        <div className="syn-charts">
          <BarTable caption={t('syn.stars.byGroup')} rows={byGroup} />
          {stars.byParty.length > 0 && <BarTable caption={t('syn.stars.byParty')} rows={stars.byParty.map((entry) => ({ label: entry.party, count: entry.count }))} />}
        </div>
      )}
    </div>
  );
}
