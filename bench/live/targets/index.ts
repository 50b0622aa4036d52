/**
 * The targets `bench/live/run.ts --target <name>` knows. Adding the product is one line:
 *
 *   import { createInnspillTarget } from './innspill.js';
 *   ...
 *   innspill: createInnspillTarget,
 *
 * where targets/innspill.ts exports a `LiveTargetFactory` (see ../types.ts). The name `innspill`
 * is what run.ts reads to fill the unprefixed JSON keys (p50Ms, p95Ms, p99Ms, errors, lost,
 * maxDurableWritesPerSec); `--target all` runs every entry in this map, in this order.
 */
import type { LiveTargetFactory } from '../types.js';
import { createInnspillTarget } from './innspill.js';
import { createRelayTarget } from './relay.js';
import { createYjsTarget } from './yjs.js';

/** The product's target name; its results fill the headline JSON keys. */
export const PRODUCT_TARGET = 'innspill';
/** The product on its embedded default database (PGlite in the server process). */
export const PGLITE_TARGET = 'innspill-pglite';

export const targets: Record<string, LiveTargetFactory> = {
  relay: createRelayTarget,
  yjs: createYjsTarget,
  innspill: () => createInnspillTarget('postgres'),
  'innspill-pglite': () => createInnspillTarget('pglite'),
};
