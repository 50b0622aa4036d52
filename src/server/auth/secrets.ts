import { createHash, randomBytes } from 'node:crypto';

/** A random token for a link or cookie; only its hash is stored. */
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
