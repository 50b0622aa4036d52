import { Redis } from 'ioredis';
import type { EventsHandler, LiveBus } from './bus.js';
import type { LiveEvent } from '../../contract/protocol.js';

const channelOf = (workshopId: string) => `innspill:events:${workshopId}`;

/** Redis pub/sub: one connection publishes, one listens, for every workshop this process serves. */
export class RedisBus implements LiveBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<EventsHandler>>();

  constructor(url: string) {
    const options = { maxRetriesPerRequest: 3, lazyConnect: false };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    this.subscriber.on('message', (channel: string, message: string) => {
      const workshopId = channel.slice('innspill:events:'.length);
      const events = JSON.parse(message) as LiveEvent[];
      for (const handler of this.handlers.get(workshopId) ?? []) handler(events);
    });
  }

  async publish(workshopId: string, events: LiveEvent[]): Promise<void> {
    await this.publisher.publish(channelOf(workshopId), JSON.stringify(events));
  }

  async subscribe(workshopId: string, handler: EventsHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(workshopId);
    if (!set) {
      set = new Set();
      this.handlers.set(workshopId, set);
      await this.subscriber.subscribe(channelOf(workshopId));
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size > 0 || this.handlers.get(workshopId) !== set) return;
      this.handlers.delete(workshopId);
      await this.subscriber.unsubscribe(channelOf(workshopId));
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
