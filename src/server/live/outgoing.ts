import type { LiveEvent, ServerMessage } from '../../contract/protocol.js';

/**
 * [LIVE-24] A server message encoded at most once, however many devices get it: the hub makes one
 * per delivered event and every socket (WebSocket, event stream) sends the same bytes. The content
 * is the same for every audience — the audience decides only whether a device gets the event
 * (`eventFor`), never what it says — so one encoding serves them all.
 */
export class Outgoing<M extends ServerMessage = ServerMessage> {
  private text: string | undefined;
  private bytes: Buffer | undefined;

  constructor(readonly message: M) {}

  /** The message as JSON, made on first use. */
  get json(): string {
    return (this.text ??= JSON.stringify(this.message));
  }

  /** The JSON as UTF-8, made on first use; a WebSocket sends it as a text frame without encoding it again. */
  get utf8(): Buffer {
    return (this.bytes ??= Buffer.from(this.json));
  }
}

/** One live event as the `event` message every device that may see it gets. */
export class EventFrame extends Outgoing<{ type: 'event'; event: LiveEvent }> {
  constructor(readonly event: LiveEvent) {
    super({ type: 'event', event });
  }
}

/** A message as sent: already shared, or encoded for this one device. */
export const outgoing = (message: ServerMessage | Outgoing): Outgoing => (message instanceof Outgoing ? message : new Outgoing(message));
