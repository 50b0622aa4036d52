import type { z } from 'zod';
import type { ErrorCode, FieldProblem } from '../../domain/errors.js';

/** An answer from the server that was not a success, with what the server said about it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'internal',
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly current?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Remembers the token the server bound to our session; sent on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function apiRequest<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'No connection to the server');
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw toApiError(response.status, json);
  return schema.parse(json);
}

/** Sends a form with files as multipart/form-data (the browser streams the files). */
export async function apiUpload<S extends z.ZodType>(path: string, schema: S, form: FormData): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { accept: 'application/json' }, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'No connection to the server');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's own answer (an HTML 413 page) is not JSON.
  }
  if (!response.ok) throw toApiError(response.status, json);
  return schema.parse(json);
}

function toApiError(status: number, json: unknown): ApiError {
  const error = (json as { error?: { code?: string; message?: string; fields?: FieldProblem[]; current?: unknown; retryAfterSeconds?: number } } | null)
    ?.error;
  return new ApiError(
    status,
    (error?.code as ErrorCode | undefined) ?? 'internal',
    error?.message ?? `HTTP ${status}`,
    error?.fields ?? [],
    error?.current,
    error?.retryAfterSeconds,
  );
}
