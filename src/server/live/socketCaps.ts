/** The most open live sockets one key may hold in this process ([SAFE-5]). */
export interface SocketCapLimits {
  perPerson: number;
  perAddress: number;
  perWorkshop: number;
}

/**
 * Counts open sockets by key (a person, an address, a workshop) and refuses one more than the
 * cap. Per process: a second process has its own counts (the caps bound memory, which is per process too).
 */
export class SocketCaps {
  private readonly open = new Map<string, number>();

  constructor(readonly limits: SocketCapLimits) {}

  /** Takes a place under every cap or none; the returned function gives the places back (once). */
  admit(places: Array<{ key: string; max: number }>): (() => void) | null {
    if (places.some(({ key, max }) => (this.open.get(key) ?? 0) >= max)) return null;
    for (const { key } of places) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const { key } of places) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}
