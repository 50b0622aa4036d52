import type { Plan } from '../../contract/plans.schema.js';
import { expectStatus, type TestApp, type TestUser } from '../testing/testApp.js';

/** A plan with one perspective: a hovedmål, two delmål and two strategier. */
export async function planForConsultation(t: TestApp, planner: TestUser): Promise<Plan> {
  const call = (method: 'POST', url: string, payload: object) => t.app.inject({ method, url, headers: planner.headers, payload });
  const plan = expectStatus<Plan>(await call('POST', '/api/plans', { title: 'Kommuneplanens samfunnsdel', municipality: 'Bærum', horizonYear: 2040 }), 201);
  let latest = expectStatus<Plan>(
    await call('POST', `/api/plans/${plan.id}/perspectives`, { title: 'Sosial bærekraft', mainGoal: 'I Bærum har alle mulighet for et godt liv' }),
    200,
  );
  const perspectiveId = latest.perspectives[0]!.id;
  for (const [kind, text] of [
    ['sub_goal', 'Alle barn og unge opplever mestring'],
    ['sub_goal', 'Innbyggerne deltar i fellesskapet'],
    ['strategy', 'Vi styrker samarbeidet med frivilligheten'],
    ['strategy', 'Vi bygger flere møteplasser'],
  ] as const) {
    latest = expectStatus<Plan>(await call('POST', `/api/perspectives/${perspectiveId}/items`, { kind, text }), 200);
  }
  return latest;
}

export interface FormFile {
  name: string;
  content: Buffer;
  type?: string;
}

/** A multipart/form-data body as a browser sends it: repeated fields for arrays. */
export function multipartBody(fields: Record<string, string | string[]>, files: FormFile[] = [], fileField = 'files') {
  const boundary = `----innspill${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${one}\r\n`));
    }
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small valid PDF (one empty page), padded to `bytes` when asked. */
export function pdfFile(bytes = 0): Buffer {
  const body = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  const pdf = Buffer.from(body, 'latin1');
  return bytes > pdf.length ? Buffer.concat([pdf, Buffer.alloc(bytes - pdf.length, 0x20)]) : pdf;
}
