import type { DiffSegment } from '../../domain/wordDiff.js';
import { useI18n } from '../i18n/i18n.js';

/** A word diff; insertions and deletions are announced as such, not only shown in colour. */
export function DiffView({ segments }: { segments: DiffSegment[] }) {
  const { t } = useI18n();
  return (
    <p className="diff">
      {segments.map((segment, index) => {
        if (segment.type === 'same') return <span key={index}>{segment.text}</span>;
        const Tag = segment.type === 'added' ? 'ins' : 'del';
        return (
          <Tag key={index}>
            <span className="visually-hidden">[{t(segment.type === 'added' ? 'diff.added' : 'diff.removed')}: </span>
            {segment.text}
            <span className="visually-hidden">]</span>
          </Tag>
        );
      })}
    </p>
  );
}
