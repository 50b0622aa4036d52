import { ApiError } from '../api/client.js';
import { useI18n, type MessageKey, type Translate } from '../i18n/i18n.js';

/** A sentence for the user, in their language, for any error the API client throws. */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.internal');
  const key = `error.${error.code}` as MessageKey;
  const sentence = t(key, { seconds: error.retryAfterSeconds ?? 10 });
  if (error.code !== 'validation_failed' || error.fields.length === 0) return sentence;
  return `${sentence} ${error.fields.map((field) => `${fieldName(field.path)}: ${field.message}`).join('; ')}`;
}

const fieldName = (path: string) => path.replace(/^body\./, '');

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describeError(error, t)}
    </p>
  );
}

/** The server's problem with one field, for aria-describedby next to that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.fields.find((problem) => problem.path === `body.${field}`)?.message;
}
