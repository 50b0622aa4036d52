import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a phone. It takes focus so a keyboard user can scroll it
 * (WCAG 2.1.1; axe `scrollable-region-focusable`), and is named so a screen reader says what it is.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
