import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { ConsultationExport, FrozenPlan } from '../../contract/consultation.schema.js';
import type { Queryable } from '../db/database.js';
import { readPlan } from '../plans/plans.service.js';
import * as q from './consultations.queries.js';
import { readSubmissions } from './consultations.service.js';

/**
 * [CONS-17] The open data of one consultation: the frozen draft with today's wording beside it, and
 * every submission with its moderation and assessment. No e-mail address ever; names only where the
 * consultation publishes them; hidden input is listed with its reason but without its text.
 */
export async function readConsultationExport(db: Queryable, consultationId: string, now = new Date()): Promise<ConsultationExport> {
  const consultation = await q.findConsultation(db, consultationId);
  if (!consultation) throw fail.notFound('Consultation');
  const frozen = consultation.plan_snapshot as FrozenPlan;
  const current = await readPlan(db, consultation.plan_id);
  const currentItems = new Map(current.perspectives.flatMap((p) => p.items.map((item) => [item.id, item] as const)));
  const submissions = await readSubmissions(db, consultationId);
  return {
    format: 'innspill.consultation-export',
    version: 1,
    exportedAt: now.toISOString(),
    consultation: { id: consultation.id, title: consultation.title, opensAt: consultation.opens_at.toISOString(), closesAt: consultation.closes_at.toISOString() },
    plan: {
      id: frozen.id,
      title: current.title,
      municipality: current.municipality,
      horizonYear: current.horizonYear,
      perspectives: frozen.perspectives.map((perspective) => ({
        id: perspective.id,
        title: perspective.title,
        position: perspective.position,
        items: perspective.items.map((item) => {
          const now = currentItems.get(item.id);
          return { id: item.id, kind: item.kind, number: item.number, text: now?.text ?? item.text, originalText: item.text, archived: now ? now.archived : true };
        }),
      })),
    },
    submissions: submissions.map((s) => ({
      id: s.id,
      reference: s.reference,
      submittedAt: s.submittedAt,
      submitter: consultation.publication === 'named' ? { name: s.name, organisation: s.organisation, role: s.role } : { name: null, organisation: null, role: s.role },
      itemIds: s.itemIds,
      text: s.status === 'hidden' ? '' : s.text,
      attachments: s.status === 'hidden' ? [] : s.attachments.map((a) => ({ name: a.name, mediaType: a.mediaType, bytes: a.bytes, sha256: a.sha256 })),
      moderation: { status: s.status, reason: s.hiddenReason },
      splitFrom: s.splitFrom,
      assessment: s.assessment ? { status: s.assessment.status, justification: s.assessment.justification } : null,
    })),
  };
}

/** The planners' download of the open data (they decide what to publish). */
export async function exportConsultation(actor: Actor | null, consultationId: string, db: Queryable): Promise<ConsultationExport> {
  assertPlanner(actor);
  return readConsultationExport(db, consultationId);
}
