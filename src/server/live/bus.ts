import type { LiveEvent } from '../../contract/protocol.js';

export type EventsHandler = (events: LiveEvent[]) => void;

/**
 * Fan-out of committed events to every server process. In one process the in-process bus is
 * enough; several processes behind a load balancer share a RedisBus.
 */
export interface LiveBus {
  publish(workshopId: string, events: LiveEvent[]): Promise<void>;
  /** Resolves once the subscription is active; the returned function ends it. */
  subscribe(workshopId: string, handler: EventsHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class InProcessBus implements LiveBus {
  private readonly handlers = new Map<string, Set<EventsHandler>>();

  async publish(workshopId: string, events: LiveEvent[]): Promise<void> {
    for (const handler of this.handlers.get(workshopId) ?? []) handler(events);
  }

  async subscribe(workshopId: string, handler: EventsHandler): Promise<() => Promise<void>> {
    const set = this.handlers.get(workshopId) ?? new Set();
    set.add(handler);
    this.handlers.set(workshopId, set);
    return async () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(workshopId);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
