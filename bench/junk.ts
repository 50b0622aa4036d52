/**
 * Junk requests over every operation of an OpenAPI document ([SAFE-10]): odd ids, poisoned text
 * (NUL, lone surrogates, non-characters), wrong types, deep nesting, long strings. Deterministic
 * for a seed, so a failure can be replayed. Used by test/faults/junk.test.ts and bench/faults.ts.
 */
import { seededRandom } from '../src/domain/text/syntheticNotes.fixture.js';

export interface JunkRequest {
  operation: string;
  method: string;
  url: string;
  /** A JSON text (possibly not valid JSON), or undefined for no body. */
  body?: string;
  authenticated: boolean;
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const POISON = ['\u0000', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF', 'a\u0000b', '😀\uD83D'];

export function* junkRequests(spec: OpenApi, count: number, options: { ids: string[]; seed: number }): Generator<JunkRequest> {
  const next = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  const junkString = () =>
    pick([
      () => '',
      () => pick(POISON),
      () => `tekst ${pick(POISON)} slutt`,
      () => 'x'.repeat(pick([1, 201, 2001, 70_000])),
      () => pick(options.ids),
      () => '00000000-0000-0000-0000-000000000000',
      () => "'; drop table notes; --",
      () => '<script>alert(1)</script>',
      () => '9'.repeat(40),
    ])();
  const junkValue = (schema: JsonSchema | undefined, depth: number): unknown => {
    const roll = next();
    if (roll < 0.1) return pick([null, true, -1, 1e308, 2 ** 53 + 1, 0.5, [], {}]);
    if (roll < 0.15 && depth < 30) return { nested: junkValue(undefined, depth + 1) };
    if (schema?.enum && roll < 0.5) return pick(schema.enum);
    if (schema?.properties && roll < 0.85) {
      return Object.fromEntries(Object.entries(schema.properties).map(([key, inner]) => [key, junkValue(inner, depth + 1)]));
    }
    if (schema?.items && roll < 0.85) return Array.from({ length: pick([0, 1, 3, 60]) }, () => junkValue(schema.items, depth + 1));
    return junkString();
  };
  for (let index = 0; index < count; index += 1) {
    const { path, method, operation } = operations[index % operations.length]!;
    const url = path.replace(/\{[^}]+\}/g, () => encode(next() < 0.6 ? pick(options.ids) : junkString().slice(0, 300)));
    const query = (operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'query' && next() < 0.7)
      .map((parameter) => `${parameter.name}=${encode(junkString().slice(0, 500))}`)
      .join('&');
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    let body: string | undefined;
    if (method !== 'GET' && method !== 'DELETE') {
      const roll = next();
      body = roll < 0.05 ? '{"broken": ' : roll < 0.1 ? '"\\ud800"' : JSON.stringify(junkValue(schema, 0));
    }
    yield { operation: `${method} ${path}`, method, url: query ? `${url}?${query}` : url, body, authenticated: next() < 0.7 };
  }
}

/** Percent-encodes like encodeURIComponent, also a lone surrogate (as its three raw bytes), which that function refuses. */
function encode(value: string): string {
  return value.replace(/[\s\S]/gu, (char) => {
    if (char.length === 2 || !/[\uD800-\uDFFF]/.test(char)) return encodeURIComponent(char);
    const code = char.charCodeAt(0);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
  });
}
