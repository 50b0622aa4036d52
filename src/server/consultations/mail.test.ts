import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consultation, SubmissionReceipt } from '../../contract/consultation.schema.js';
import { createTestApp, expectStatus, type TestApp, type TestUser } from '../testing/testApp.js';
import { multipartBody, planForConsultation } from './consultationFixture.js';

interface Received {
  to: string[];
  body: string;
}

describe('[CONS-16] e-mail with SMTP_URL', () => {
  let smtp: SMTPServer;
  const received: Received[] = [];
  let t: TestApp;
  let planner: TestUser;

  beforeAll(async () => {
    // A real SMTP server on 127.0.0.1, started by the test.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    t = await createTestApp('pglite', { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'innspill@kommune.example.no', submissionsPerHour: 100 });
    planner = await t.user('planner');
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const waitFor = async (count: number) => {
    for (let i = 0; i < 100 && received.length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.length).toBeGreaterThanOrEqual(count);
  };

  it('sends a receipt with the reference and the follow link, and a notice when the input is assessed', async () => {
    const plan = await planForConsultation(t, planner);
    const consultation = expectStatus<Consultation>(
      await t.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/consultations`, headers: planner.headers, payload: { title: 'Høring med e-post' } }),
      201,
    );
    const { payload, headers } = multipartBody({ name: 'Kari', email: 'kari@example.no', text: 'Hei' });
    const receipt = expectStatus<SubmissionReceipt>(await t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload, headers }), 201);
    await waitFor(1);
    expect(received[0]!.to).toEqual(['kari@example.no']);
    const unfolded = received[0]!.body.replace(/=\r?\n/g, '');
    expect(unfolded).toContain(receipt.reference);
    expect(unfolded).toContain(receipt.followUrl.split('/follow/')[1]!.slice(0, 20));

    expectStatus(
      await t.app.inject({ method: 'PUT', url: `/api/submissions/${receipt.id}/assessment`, headers: planner.headers, payload: { status: 'rejected', justification: 'Utenfor', version: 0 } }),
      200,
    );
    await waitFor(2);
    expect(received[1]!.to).toEqual(['kari@example.no']);
    expect(received[1]!.body).toContain(receipt.reference);
  });

  it('a submission without an e-mail address sends nothing and still gets its receipt', async () => {
    const before = received.length;
    const plan = await planForConsultation(t, planner);
    const consultation = expectStatus<Consultation>(
      await t.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/consultations`, headers: planner.headers, payload: { title: 'Uten e-post' } }),
      201,
    );
    const { payload, headers } = multipartBody({ name: 'Ola', text: 'Hei' });
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload, headers }), 201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.length).toBe(before);
  });
});
