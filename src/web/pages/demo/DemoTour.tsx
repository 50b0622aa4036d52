import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { PlanSummary } from '../../../contract/plans.schema.js';
import type { WorkshopSummary } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { useI18n } from '../../i18n/i18n.js';
import '../imports/imports.css';

const DISMISSED_KEY = 'innspill.demoTour.dismissed';

function isDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

interface Demo {
  workshop: WorkshopSummary;
  /** Posters in the whiteboard file, from the import report; null when the report cannot be read. */
  posters: number | null;
  /** Lapper waiting for a place and how many of them have a suggestion; null when unknown. */
  waiting: { count: number; suggested: number } | null;
}

/**
 * "Velkommen til Innspill": when the plans include the shipped demo workshop, a short tour of
 * what a new user is looking at, each step a link. Closing it is remembered on this device.
 */
export function DemoTour({ plans }: { plans: PlanSummary[] | null }) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const [dismissed, setDismissed] = useState(isDismissed);
  const [demo, setDemo] = useState<Demo | null>(null);

  useEffect(() => {
    if (dismissed || !plans || plans.length === 0) return;
    let current = true;
    void (async () => {
      const lists = await Promise.all(plans.map((plan) => api.listWorkshops(plan.id).catch(() => [])));
      const workshop = lists.flat().find((w) => w.isDemo);
      if (!workshop) return;
      const [report, placement] = await Promise.all([api.importReport(workshop.id).catch(() => null), api.placementSuggestions(workshop.id).catch(() => null)]);
      const waiting = placement
        ? { count: placement.suggestions.length, suggested: placement.suggestions.filter((s) => s.confidence !== 'none').length }
        : null;
      if (current) setDemo({ workshop, posters: report?.posters ?? null, waiting });
    })();
    return () => {
      current = false;
    };
  }, [plans, dismissed]);

  if (dismissed || !demo) return null;
  const { workshop } = demo;

  function dismiss() {
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Private browsing without storage: closed for this visit only.
    }
    setDismissed(true);
    document.getElementById('main')?.focus();
    announce(t('tour.dismissed'));
  }

  const steps = [
    { to: `/plans/${workshop.planId}`, title: t('tour.plan'), text: t('tour.planText') },
    {
      to: `/workshops/${workshop.id}`,
      title: t('tour.workshop'),
      text: demo.posters === null ? t('tour.workshopTextNoCount') : t('tour.workshopText', { posters: demo.posters }),
    },
    { to: `/workshops/${workshop.id}/synthesis`, title: t('tour.synthesis'), text: t('tour.synthesisText') },
    {
      to: `/workshops/${workshop.id}/place`,
      title: t('tour.place'),
      text: demo.waiting ? `${plural('place.summary', demo.waiting.count, { suggested: demo.waiting.suggested })} ${t('tour.placeTextSuggested')}` : t('tour.placeText'),
    },
    { to: `/plans/${workshop.planId}#workshops`, title: t('tour.live'), text: t('tour.liveText') },
  ];

  return (
    <section className="demo-tour" aria-labelledby="demo-tour-heading">
      <h2 id="demo-tour-heading">{t('tour.heading')}</h2>
      <p>{t('tour.intro', { title: workshop.title })}</p>
      <ol className="tour-steps">
        {steps.map((step) => (
          <li key={step.title}>
            <h3>
              <Link to={step.to}>{step.title}</Link>
            </h3>
            <p>{step.text}</p>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={dismiss}>
        {t('tour.dismiss')}
      </button>
    </section>
  );
}
