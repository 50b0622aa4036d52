import type { Writable } from 'node:stream';

/**
 * [LIVE-24] Frames for one socket written in one run of code leave in one write: the first frame
 * corks the socket's stream, and every stream corked meanwhile is uncorked once, in a microtask
 * queued behind what is already queued. A command's ack and the echo of its event, and the events
 * of one group commit to a plenary screen (its commands resume together when the commit resolves),
 * then cost one system call instead of one each. The bytes on the wire are the same frames in the
 * same order; they wait for no timer and no other I/O (a flush at the end of the event-loop turn,
 * `setImmediate`, batched a little more but held frames behind every callback of a busy turn).
 */
export class WriteBatch {
  private corked = new Set<Writable>();
  private scheduled = false;

  /** Call before writing to `stream`; its writes are held until the microtasks queued before the flush have run. */
  hold(stream: Writable): void {
    if (this.corked.has(stream)) return;
    stream.cork();
    this.corked.add(stream);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const streams = this.corked;
    this.corked = new Set();
    for (const stream of streams) stream.uncork();
  };
}
