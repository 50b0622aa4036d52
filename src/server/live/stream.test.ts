import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, listenOnLoopback, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { CLOSE_CODES, serverMessageSchema, streamCloseSchema, type ServerMessage } from '../../contract/protocol.js';

/** One server-sent event as the browser's EventSource would see it. */
interface StreamEvent {
  id?: string;
  event: string;
  data: string;
}

function parseEvents(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: StreamEvent = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') event.id = value;
        if (field === 'event') event.event = value;
        if (field === 'data') event.data = value;
      }
      return event;
    });
}

/** Reads a live stream (as a browser's EventSource would, one connection) until `done` says enough, then hangs up. */
function follow(url: string, headers: Record<string, string>, done: (messages: ServerMessage[]) => boolean) {
  return new Promise<{ events: StreamEvent[]; messages: ServerMessage[] }>((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      let text = '';
      const messages = () => parseEvents(text).filter((e) => e.event === 'message').map((e) => serverMessageSchema.parse(JSON.parse(e.data)));
      const timer = setTimeout(() => finish(new Error(`timed out; got ${text}`)), 5000);
      const finish = (error?: Error) => {
        clearTimeout(timer);
        request.destroy();
        if (error) reject(error);
        else resolve({ events: parseEvents(text), messages: messages() });
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (done(messages())) finish();
      });
      response.on('end', () => finish());
    });
    request.on('error', reject);
  });
}

describe.each(testDatabaseKinds)('the live event stream over HTTP on %s', (kind) => {
  let test: TestApp;
  let url: string;
  let planner: TestUser;
  let fixture: WorkshopFixture;

  beforeAll(async () => {
    test = await createTestApp(kind);
    url = await listenOnLoopback(test.app);
    planner = await test.user('planner');
    fixture = await createWorkshopFixture(test.database.db);
  });
  afterAll(async () => test?.close());

  const note = (text: string) => ({
    commandId: randomUUID(),
    command: { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id, itemIds: [], kind: 'facilitator_note', text },
  });
  const post = async (body: object) => {
    const response = await test.app.inject({ method: 'POST', url: `/api/workshops/${fixture.workshopId}/commands`, headers: planner.headers, payload: body });
    return expectStatus<{ seq: number }>(response, 200);
  };

  it('[LIVE-19] sends welcome and snapshot, then live events with their sequence numbers as ids, and resumes from Last-Event-ID', async () => {
    const streamUrl = `${url}/api/workshops/${fixture.workshopId}/stream?groupId=${fixture.groups[0]!.id}`;
    const { seq } = await post(note('Før strømmen'));
    const sent = note('Mens strømmen er åpen');
    let posted = false;
    const live = await follow(streamUrl, planner.headers, (messages) => {
      if (!posted && messages.some((m) => m.type === 'snapshot')) {
        posted = true;
        void post(sent);
      }
      return messages.some((m) => m.type === 'event');
    });
    expect(live.messages.map((m) => m.type).slice(0, 3)).toEqual(['welcome', 'snapshot', 'event']);
    const snapshot = live.messages.find((m) => m.type === 'snapshot')!;
    expect(snapshot.type === 'snapshot' && snapshot.snapshot.notes.map((n) => n.text)).toEqual(['Før strømmen']);
    const event = live.events.find((e) => e.event === 'message' && e.data.includes('"type":"event"'))!;
    expect(Number(event.id)).toBe(seq + 1);

    // A reconnecting EventSource says where it was: exactly what it missed, no snapshot.
    const missed = await post(note('Mens du var borte'));
    const resumed = await follow(streamUrl, { ...planner.headers, 'last-event-id': String(seq + 1) }, (messages) => messages.some((m) => m.type === 'events'));
    expect(resumed.messages.map((m) => m.type)).toEqual(['welcome', 'events']);
    const events = resumed.messages[1]!;
    expect(events.type === 'events' && events.events.map((e) => e.seq)).toEqual([missed.seq]);
    // The query's lastSeq does the same for a device that opens a fresh stream.
    const fromQuery = await follow(`${streamUrl}&lastSeq=${seq}`, planner.headers, (messages) => messages.some((m) => m.type === 'events'));
    const both = fromQuery.messages[1]!;
    expect(both.type === 'events' && both.events.map((e) => e.seq)).toEqual([seq + 1, missed.seq]);
  });

  it('[LIVE-19] ends the stream with the socket’s close codes: 4001 without a login, 4003 for a stranger, 4004 for no workshop', async () => {
    const closeOf = async (path: string, headers: Record<string, string> = {}) => {
      const response = await test.app.inject({ method: 'GET', url: path, headers });
      expect(response.statusCode).toBe(200);
      const last = parseEvents(response.body).at(-1)!;
      expect(last.event).toBe('close');
      return streamCloseSchema.parse(JSON.parse(last.data)).code;
    };
    const base = `/api/workshops/${fixture.workshopId}/stream`;
    expect(await closeOf(base)).toBe(CLOSE_CODES.unauthenticated);
    expect(await closeOf(`${base}?viewerToken=wrong`)).toBe(CLOSE_CODES.unauthenticated);
    const stranger = await test.user('facilitator');
    expect(await closeOf(`${base}?groupId=${fixture.groups[0]!.id}`, stranger.headers)).toBe(CLOSE_CODES.forbidden);
    expect(await closeOf(`/api/workshops/${randomUUID()}/stream`, planner.headers)).toBe(CLOSE_CODES.notFound);
  });

  it('refuses a malformed query with 400 naming the field, and a cross-site stream with 403', async () => {
    const bad = await test.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/stream?lastSeq=-3`, headers: planner.headers });
    expect(expectStatus<{ error: { fields: Array<{ path: string }> } }>(bad, 400).error.fields[0]!.path).toContain('lastSeq');
    const crossSite = await test.app.inject({
      method: 'GET',
      url: `/api/workshops/${fixture.workshopId}/stream`,
      headers: { ...planner.headers, origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await test.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>();
    const stream = spec.paths['/api/workshops/{workshopId}/stream']?.get;
    expect(stream?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['workshopId', 'groupId', 'lastSeq', 'viewerToken']));
  });
});
