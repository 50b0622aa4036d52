import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ATTACHMENT_BYTES_MAX, HONEYPOT_FIELD, SUBMISSION_FILES_MAX } from '../../domain/consultation/consultation.js';
import { DomainError, fail } from '../../domain/errors.js';
import {
  assessSubmissionBodySchema,
  consultationExportSchema,
  consultationIdParams,
  consultationSchema,
  followParams,
  followSchema,
  hideBodySchema,
  markCopyBodySchema,
  moderationEntrySchema,
  openConsultationBodySchema,
  planInputsQuerySchema,
  planInputsSchema,
  publicConsultationSchema,
  publishBodySchema,
  splitBodySchema,
  submissionMultipartSchema,
  submissionReceiptSchema,
  submissionSchema,
  timelineStepSchema,
} from '../../contract/consultation.schema.js';
import { reportQuerySchema } from '../../contract/reports.schema.js';
import type { AppContext } from '../context.js';
import type { LimitStore } from '../limits.js';
import { tooLarge, type AttachmentStore, type ReceivedFile } from './attachmentStore.js';
import { exportConsultation } from './consultationExport.service.js';
import * as consultations from './consultations.service.js';
import { openPlanReport, planReportBody, planReportFileName, type InputSource } from './planReport.js';
import type { SendMail } from './mailer.js';

const tags = ['consultations'];
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ConsultationRouteDeps {
  store: AttachmentStore;
  limits: LimitStore;
  mail?: SendMail;
}

export function consultationRoutes(context: AppContext, deps: ConsultationRouteDeps) {
  const { db, config } = context;
  const env: consultations.ConsultationEnv = { publicUrl: config.publicUrl, store: deps.store, mail: deps.mail };
  return async (app: FastifyInstance) => {
    // Only this plugin reads multipart bodies, and only as streams ([CONS-8]).
    await app.register(fastifyMultipart, {
      limits: { fileSize: ATTACHMENT_BYTES_MAX, files: SUBMISSION_FILES_MAX, fields: 300, fieldSize: 100_000, parts: 310 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/plans/:id/consultations',
      { schema: { tags, params: consultationIdParams, body: openConsultationBodySchema, response: { 201: consultationSchema } } },
      async (request, reply) => reply.code(201).send(await consultations.openConsultation(request.actor, request.params.id, request.body, db, env)),
    );
    r.get('/api/plans/:id/timeline', { schema: { tags, params: consultationIdParams, response: { 200: z.array(timelineStepSchema) } } }, (request) =>
      consultations.planTimeline(request.actor, request.params.id, db, env),
    );
    r.get('/api/consultations/:id', { schema: { tags, params: consultationIdParams, response: { 200: consultationSchema } } }, (request) =>
      consultations.getConsultation(request.actor, request.params.id, db, env),
    );
    r.post('/api/consultations/:id/close', { schema: { tags, params: consultationIdParams, response: { 200: consultationSchema } } }, (request) =>
      consultations.closeConsultation(request.actor, request.params.id, db, env),
    );
    r.get('/api/public/consultations/:id', { schema: { tags, params: consultationIdParams, response: { 200: publicConsultationSchema } } }, (request) =>
      consultations.getPublicConsultation(request.params.id, db, env),
    );
    r.get('/api/follow/:token', { schema: { tags, params: followParams, response: { 200: followSchema } } }, (request) =>
      consultations.follow(request.params.token, db),
    );

    r.post(
      '/api/consultations/:id/submissions',
      {
        schema: {
          tags,
          summary: 'Submit input to a consultation (no account)',
          consumes: ['multipart/form-data'],
          params: consultationIdParams,
          body: submissionMultipartSchema,
          response: { 201: submissionReceiptSchema },
        },
        // Five files of 10 MB and the fields; each file is still checked on its own as it streams.
        config: { anonymousBodyLimit: SUBMISSION_FILES_MAX * ATTACHMENT_BYTES_MAX + 1_048_576 },
        // The body is a stream read by the handler; the schema above documents it for OpenAPI.
        validatorCompiler: (route) =>
          route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      },
      async (request, reply) => {
        // [CONS-7] Per address, shared between processes through Redis when REDIS_URL is set.
        const wait = await deps.limits.take(`submission:${request.ip}`, config.submissionsPerHour, 3_600_000);
        if (wait > 0) throw new DomainError('rate_limited', 'Too many submissions from this address; try again later', { retryAfterSeconds: wait });
        // Refused before a byte of the body is read when the consultation is not open ([CONS-3]).
        await consultations.assertTakingInput(request.params.id, db, env);
        const { fields, files } = await readSubmissionForm(request, deps.store);
        const honeypot = fields[HONEYPOT_FIELD];
        if (honeypot && (Array.isArray(honeypot) ? honeypot.join('') : honeypot).trim() !== '') {
          await deps.store.discard(files.map((file) => file.incomingKey));
          throw fail.invalid(HONEYPOT_FIELD, 'leave this field empty');
        }
        const receipt = await consultations.submit({ consultationId: request.params.id, fields, files }, db, env);
        return reply.code(201).send(receipt);
      },
    );

    r.get('/api/consultations/:id/submissions', { schema: { tags, params: consultationIdParams, response: { 200: z.array(submissionSchema) } } }, (request) =>
      consultations.listSubmissions(request.actor, request.params.id, db),
    );
    r.get(
      '/api/consultations/:id/moderation-log',
      { schema: { tags, params: consultationIdParams, response: { 200: z.array(moderationEntrySchema) } } },
      (request) => consultations.moderationLog(request.actor, request.params.id, db),
    );
    const moderated = { 200: z.array(submissionSchema) };
    r.post('/api/submissions/:id/publish', { schema: { tags, params: consultationIdParams, body: publishBodySchema, response: moderated } }, (request) =>
      consultations.moderate(request.actor, request.params.id, { action: 'publish', ...request.body }, db),
    );
    r.post('/api/submissions/:id/hide', { schema: { tags, params: consultationIdParams, body: hideBodySchema, response: moderated } }, (request) =>
      consultations.moderate(request.actor, request.params.id, { action: 'hide', ...request.body }, db),
    );
    r.post('/api/submissions/:id/copy', { schema: { tags, params: consultationIdParams, body: markCopyBodySchema, response: moderated } }, (request) =>
      consultations.moderate(request.actor, request.params.id, { action: 'mark_copy', ...request.body }, db),
    );
    r.post('/api/submissions/:id/split', { schema: { tags, params: consultationIdParams, body: splitBodySchema, response: moderated } }, (request) =>
      consultations.moderate(request.actor, request.params.id, { action: 'split', ...request.body }, db),
    );
    r.put(
      '/api/submissions/:id/assessment',
      { schema: { tags, params: consultationIdParams, body: assessSubmissionBodySchema, response: { 200: submissionSchema } } },
      (request) => consultations.assessSubmission(request.actor, request.params.id, request.body, db, env),
    );

    for (const format of ['docx', 'xlsx'] as const) {
      r.get(
        `/api/plans/:id/report.${format}`,
        {
          schema: { tags, summary: `The plan's merknadsbehandling across workshops and consultations (${format}, planners only)`, params: consultationIdParams, querystring: reportQuerySchema },
          config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
          exposeHeadRoute: false,
        },
        async (request, reply) => {
          const language = request.query.lang ?? 'nb';
          const report = await openPlanReport(request.actor, request.params.id, db, 'all', language);
          return reply
            .type(format === 'docx' ? DOCX_TYPE : XLSX_TYPE)
            .header('content-disposition', contentDisposition(planReportFileName(report, format)))
            .header('cache-control', 'no-store')
            .send(planReportBody(report, format, language));
        },
      );
    }
    r.get(
      '/api/plans/:id/inputs',
      { schema: { tags, summary: "Every input of the plan per item, workshops and consultations (planners only)", params: consultationIdParams, querystring: planInputsQuerySchema, response: { 200: planInputsSchema } } },
      (request) => openPlanReport(request.actor, request.params.id, db, request.query.source as InputSource, request.query.lang),
    );
    r.get(
      '/api/consultations/:id/export.json',
      { schema: { tags, summary: 'Open data of a consultation (docs/contracts/consultation-export.schema.json)', params: consultationIdParams, response: { 200: consultationExportSchema } } },
      (request) => exportConsultation(request.actor, request.params.id, db),
    );

    r.get('/api/attachments/:id', { schema: { tags, params: consultationIdParams } }, async (request, reply) => {
      const file = await consultations.openAttachment(request.actor, request.params.id, db, deps.store);
      // [CONS-15] Always a download, never shown in the page, of one of the five types sniffed at upload.
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', file.bytes)
        .header('content-disposition', contentDisposition(file.name))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    });
  };
}

/** `attachment` with an ASCII fallback and the real name as RFC 5987 UTF-8. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Reads the multipart form: fields as text, files streamed into the store one by one. */
async function readSubmissionForm(request: FastifyRequest, store: AttachmentStore) {
  const fields: Record<string, string | string[]> = {};
  const files: ReceivedFile[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        // A form's empty file input arrives as a part without a name and without bytes.
        if (!part.filename) {
          part.file.resume();
          continue;
        }
        if (part.fieldname !== 'files') throw fail.invalid(part.fieldname, 'files go in the field "files"');
        files.push(await store.receive(part.filename.slice(0, 200), part.file));
        continue;
      }
      const value = typeof part.value === 'string' ? part.value : String(part.value ?? '');
      const key = part.fieldname.replace(/\[\]$/, '');
      const before = fields[key];
      fields[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    }
  } catch (error) {
    await store.discard(files.map((file) => file.incomingKey));
    throw multipartError(error);
  }
  return { fields, files };
}

function multipartError(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge('A file');
  if (code === 'FST_FILES_LIMIT') return fail.invalid('files', `at most ${SUBMISSION_FILES_MAX} files`);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return fail.invalid('body', 'too many fields');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return fail.invalid('body', 'send the form as multipart/form-data');
  return error;
}
