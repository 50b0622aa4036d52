import type { Writable } from 'node:stream';

/**
 * [LIVE-24] Frames for one socket in one turn of the event loop leave in one write: the first
 * frame corks the socket's stream, and every stream corked this turn is uncorked once, after the
 * turn's I/O callbacks (`setImmediate`). A command's ack and the echo of its event, and the events
 * of one group commit to a plenary screen, then cost one system call instead of one each. The bytes
 * on the wire are the same frames in the same order; they wait at most until the end of the turn
 * that made them.
 */
export class WriteBatch {
  private corked = new Set<Writable>();
  private scheduled = false;

  /** Call before writing to `stream`; its writes are held until the end of this turn. */
  hold(stream: Writable): void {
    if (this.corked.has(stream)) return;
    stream.cork();
    this.corked.add(stream);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const streams = this.corked;
    this.corked = new Set();
    for (const stream of streams) stream.uncork();
  };
}
