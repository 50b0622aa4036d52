import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../domain/actors.js';
import { DomainError } from '../../domain/errors.js';
import { UNSTORABLE_MESSAGE, findUnstorableText, jsonMayHoldUnstorable } from '../../domain/text/storable.js';
import type { Db } from '../db/database.js';
import { domainErrorFromDatabase } from '../http/errors.js';
import type { WriteLimiter } from '../limits.js';
import { audienceFor } from './board.service.js';
import { executeCommand } from './commands.service.js';
import type { LiveHub, LiveSocket } from './hub.js';
import type { SocketCaps } from './socketCaps.js';
import type { Drain } from '../shutdown.js';
import type { Metrics } from '../metrics.js';
import { CLOSE_CODES, PROTOCOL_VERSION, clientMessageSchema, type ClientMessage } from '../../contract/protocol.js';

const MAX_MALFORMED = 10;
const CONNECT_TIMEOUT_MS = 10_000;

export interface LiveServices {
  db: Db;
  hub: LiveHub;
  limiter: WriteLimiter;
  log: FastifyBaseLogger;
  /** Open-socket caps; the workshop's is taken once `connect` names it ([SAFE-5]). */
  sockets?: SocketCaps;
  /** Hears errors that are not the command's fault (the health check watches them). */
  onServerFault?: (error: unknown) => void;
  /** Shutdown waits for the commands it tracks; while draining, a new command closes the socket with 1001 ([OPS-4]). */
  drain?: Drain;
  metrics?: Metrics;
}

/**
 * One device's conversation: `connect` first, then commands. Transport-free: the WebSocket route
 * feeds it text frames and gives it a socket to answer on.
 */
export class LiveConnection {
  private workshopId: string | null = null;
  private leave: (() => void) | null = null;
  private releaseWorkshopPlace: (() => void) | null = null;
  private malformed = 0;
  private closed = false;
  /** The `connect` being answered: commands that arrive meanwhile wait for it instead of being turned away. */
  private connecting: Promise<void> | null = null;
  private readonly connectTimer: NodeJS.Timeout;

  constructor(
    private readonly services: LiveServices,
    private readonly socket: LiveSocket,
    /** Who the upgrade request's cookies say this is; a plenary screen sends its token in `connect` instead. */
    private actor: Actor | null,
  ) {
    this.connectTimer = setTimeout(() => this.close(CLOSE_CODES.connectTimeout, 'send connect first'), CONNECT_TIMEOUT_MS);
  }

  async receive(frame: string): Promise<void> {
    if (this.closed) return;
    const message = this.parse(frame);
    if (!message) return;
    if (message.type === 'ping') return this.socket.send({ type: 'pong', at: message.at });
    if (message.type === 'connect') {
      if (this.connecting) return this.complain('already_connected', 'This connection already follows a workshop');
      this.connecting = this.connect(message);
      return this.connecting;
    }
    if (this.connecting) await this.connecting;
    if (this.closed) return;
    if (!this.workshopId) return this.complain('not_connected', 'Send connect before commands');
    await this.command(message);
  }

  disconnected(): void {
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.leave?.();
    this.leave = null;
    this.releaseWorkshopPlace?.();
  }

  private parse(frame: string): ClientMessage | null {
    let json: unknown;
    try {
      json = JSON.parse(frame);
    } catch {
      this.complain('malformed', 'The frame is not JSON');
      return null;
    }
    const parsed = clientMessageSchema.safeParse(json);
    // Text the database cannot hold is refused here, in every field, not only in lapp texts ([SAFE-1]);
    // the strings are walked only when the raw frame could hold one.
    const unstorable = jsonMayHoldUnstorable(frame) ? findUnstorableText(json) : null;
    if (parsed.success && unstorable === null) return parsed.data;
    // A command with a readable id gets a reject it can match; anything else a plain error.
    const commandId = (json as { type?: unknown; commandId?: unknown })?.commandId;
    if ((json as { type?: unknown })?.type === 'command' && typeof commandId === 'string' && /^[0-9a-f-]{36}$/i.test(commandId)) {
      const fields = parsed.success
        ? [{ path: unstorable!, message: UNSTORABLE_MESSAGE }]
        : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      this.socket.send({ type: 'reject', commandId, error: { code: 'validation_failed', message: fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields } });
      return null;
    }
    this.complain('malformed', parsed.success ? `${unstorable}: ${UNSTORABLE_MESSAGE}` : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    return null;
  }

  private complain(code: string, message: string): void {
    this.socket.send({ type: 'error', error: { code, message } });
    this.malformed += 1;
    if (this.malformed >= MAX_MALFORMED) this.close(CLOSE_CODES.malformed, 'too many malformed frames');
  }

  /** Follows a workshop: the first frame on a socket, or the query of the event stream. */
  async connect(message: Extract<ClientMessage, { type: 'connect' }>): Promise<void> {
    if (this.workshopId) return this.complain('already_connected', 'This connection already follows a workshop');
    if (message.protocolVersion !== PROTOCOL_VERSION) return this.close(CLOSE_CODES.protocolVersion, `server speaks protocol ${PROTOCOL_VERSION}`);
    clearTimeout(this.connectTimer);
    if (message.viewerToken) this.actor = (await this.viewerActor(message.viewerToken)) ?? this.actor;
    try {
      const audience = await audienceFor(this.services.db, this.actor, message.workshopId, message.subscription);
      const caps = this.services.sockets;
      if (caps) {
        this.releaseWorkshopPlace = caps.admit([{ key: `workshop:${message.workshopId}`, max: caps.limits.perWorkshop }]);
        if (!this.releaseWorkshopPlace) return this.close(CLOSE_CODES.tooManySockets, 'too many devices follow this workshop; retry later');
      }
      this.workshopId = message.workshopId;
      this.socket.send({ type: 'welcome', protocolVersion: PROTOCOL_VERSION, you: describe(this.actor!) });
      const access = { actor: this.actor!, subscription: message.subscription, ...(this.actor?.kind === 'viewer' && { viewerToken: message.viewerToken }) };
      // The hub closes through this connection, so a device it turns away sends no more commands.
      const socket: LiveSocket = { send: (message) => this.socket.send(message), close: (code, reason) => this.close(code, reason) };
      const leave = await this.services.hub.join(socket, access, audience, message.lastSeq);
      if (this.closed) leave();
      else this.leave = leave;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const code = { unauthenticated: CLOSE_CODES.unauthenticated, not_found: CLOSE_CODES.notFound }[error.code as string] ?? CLOSE_CODES.forbidden;
      this.close(code, error.message);
    }
  }

  private async viewerActor(token: string): Promise<Actor | null> {
    const workshop = await this.services.db.selectFrom('workshops').select('id').where('viewer_token', '=', token).executeTakeFirst();
    return workshop ? { kind: 'viewer', workshopId: workshop.id } : null;
  }

  private async command(message: Extract<ClientMessage, { type: 'command' }>): Promise<void> {
    const { drain, metrics } = this.services;
    if (drain?.isDraining) {
      // Not stored here: the device keeps it in its outbox and sends it to the process it reconnects to.
      metrics?.observeCommand(message.command.type, 'draining', 0);
      return this.close(CLOSE_CODES.goingAway, 'server shutting down; reconnect');
    }
    const started = performance.now();
    const outcome = await (drain ? drain.track(() => this.runCommand(message)) : this.runCommand(message));
    metrics?.observeCommand(message.command.type, outcome, (performance.now() - started) / 1000);
  }

  private async runCommand(message: Extract<ClientMessage, { type: 'command' }>): Promise<'ack' | 'duplicate' | 'reject' | 'error'> {
    const { db, hub, limiter, log } = this.services;
    try {
      const result = await executeCommand(db, limiter, this.actor, this.workshopId!, message.commandId, message.command);
      this.socket.send({ type: 'ack', commandId: message.commandId, seq: result.seq, duplicate: result.duplicate });
      await hub.publish(this.workshopId!, result.events);
      return result.duplicate ? 'duplicate' : 'ack';
    } catch (thrown) {
      // A value the database cannot store is the command's fault: a final reject, as for any invalid command ([SAFE-1]).
      const error = domainErrorFromDatabase(thrown) ?? thrown;
      if (!(error instanceof DomainError)) {
        // Not the command's fault (the database went away): close so the device reconnects and resends it.
        log.error({ err: error }, 'live command failed');
        this.services.onServerFault?.(error);
        this.close(1011, 'server error; reconnect and resend');
        return 'error';
      }
      this.socket.send({ type: 'reject', commandId: message.commandId, error: { code: error.code, message: error.message, ...error.details } as never });
      return 'reject';
    }
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.disconnected();
  }
}

function describe(actor: Actor) {
  if (actor.kind === 'participant') return { kind: 'participant' as const, participantId: actor.participantId, groupId: actor.groupId, name: actor.name };
  if (actor.kind === 'user') return { kind: 'user' as const, userId: actor.userId, role: actor.role, name: actor.name };
  return { kind: 'viewer' as const };
}
