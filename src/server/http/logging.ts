import type { FastifyServerOptions } from 'fastify';

/**
 * Logs say what failed and where, never what people wrote ([SAFE-2]): errors keep their class,
 * SQLSTATE and stack frames but lose the message (a database message may quote a lapp or a name)
 * and every other property (a driver error can carry the query parameters); requests keep method,
 * route and ids but not the query string.
 */
export const logSerializers = {
  err(error: unknown) {
    if (!(error instanceof Error)) return { type: typeof error, message: '(not logged)', stack: '' };
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
    return {
      type: error.name,
      message: '(not logged)',
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof statusCode === 'number' ? { statusCode } : {}),
      stack: frames.slice(0, 12).join('\n'),
    };
  },
  req(request: { id?: unknown; method?: string; url?: string; routeOptions?: { url?: string } }) {
    return { id: request.id, method: request.method, route: request.routeOptions?.url ?? request.url?.split('?')[0] };
  },
};

/** The server's logger options: the level, with the serializers above. */
export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return { level, serializers: logSerializers };
}
