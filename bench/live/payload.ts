/**
 * The write payload and how a receiver finds the writeId in a frame without parsing it.
 *
 * Every payload contains the ASCII marker `wid:` followed by the decimal writeId. The marker
 * survives every encoding used here verbatim (a JSON text frame; a JSON string pushed into a
 * Y.Array is stored as UTF-8 bytes inside the Yjs update), so receivers search the raw bytes.
 */
export const WRITE_ID_MARKER = 'wid:';
const MARKER_BYTES = Buffer.from(WRITE_ID_MARKER, 'latin1');
const ZERO = 0x30;
const NINE = 0x39;

// Norwegian text with æøå so the bytes are realistic UTF-8; trimmed so the whole note is ~200 bytes.
const FILLER =
  'Helt enig med Dina: delmål 2 bør omformuleres så det også gjelder barn og unge i alle deler av kommunen, ' +
  'og strategi 7 må få en tydeligere kobling til arealstrategiene. Foreslått som alternativ formulering. ' +
  'Kari så senere at flere av lappene ble dekket av strategiene.';

export const TARGET_PAYLOAD_BYTES = 200;

/** A lapp (note) of ~200 bytes as JSON text carrying the writeId. */
export function notePayload(writeId: number, room: string, clientIndex: number): string {
  const head = `{"type":"note","id":"${WRITE_ID_MARKER}${writeId}","room":"${room}","author":"c${clientIndex}","text":"`;
  const tail = '"}';
  let budget = TARGET_PAYLOAD_BYTES - Buffer.byteLength(head) - tail.length;
  let text = '';
  for (const ch of FILLER) {
    const n = Buffer.byteLength(ch);
    if (n > budget) break;
    text += ch;
    budget -= n;
  }
  return head + text + tail;
}

/** Calls `found` for each writeId in `frame` (normally exactly one). Returns how many were found. */
export function forEachWriteId(frame: Buffer, found: (writeId: number) => void): number {
  let count = 0;
  let from = 0;
  for (;;) {
    const at = frame.indexOf(MARKER_BYTES, from);
    if (at < 0) return count;
    let i = at + MARKER_BYTES.length;
    let id = 0;
    let digits = 0;
    while (i < frame.length) {
      const c = frame[i] as number;
      if (c < ZERO || c > NINE) break;
      id = id * 10 + (c - ZERO);
      digits += 1;
      i += 1;
    }
    if (digits > 0) {
      found(id);
      count += 1;
    }
    from = i;
  }
}

/** Accepts what `ws` hands to a 'message' listener in any binaryType. */
export function asBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
