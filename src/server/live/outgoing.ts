import type { LiveEvent, ServerMessage } from '../../contract/protocol.js';

/**
 * [LIVE-24] A server message encoded at most once, however many devices get it: the hub makes one
 * per delivered event and every socket (WebSocket, event stream) sends the same bytes. The content
 * is the same for every audience — the audience decides only whether a device gets the event
 * (`eventFor`), never what it says — so one encoding serves them all.
 */
export class Outgoing<M extends ServerMessage = ServerMessage> {
  private text: string | undefined;
  private frame: Buffer | undefined;

  constructor(readonly message: M) {}

  /** The message as JSON, made on first use. */
  get json(): string {
    return (this.text ??= JSON.stringify(this.message));
  }

  /**
   * The whole WebSocket text frame (RFC 6455 §5.2), made on first use. A server's frames are not
   * masked, so the bytes are the same for every device: a socket writes them as they are, without
   * framing or copying the message again.
   */
  get wsFrame(): Buffer {
    return (this.frame ??= textFrame(this.json));
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

/** A final, unmasked text frame holding `text`: FIN + opcode 1, then the length in 7, 7+16 or 7+64 bits. */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
