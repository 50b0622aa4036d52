import { useId } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useAnnounce } from './Announcer.js';

/** Copies text to the clipboard and says so; where the clipboard is unavailable, shows the text to copy by hand. */
export function CopyButton({ text, target, className = 'secondary' }: { text: string; target: string; className?: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      announce(t('copy.done', { target }));
    } catch {
      window.prompt(t('copy.manual'), text);
    }
  }
  return (
    <button type="button" className={className} aria-label={`${t('copy.button')}: ${target}`} onClick={copy}>
      {t('copy.button')}
    </button>
  );
}

/** A labelled, read-only link that can be selected or copied. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <div className="copy-row">
        <input id={id} value={value} readOnly aria-describedby={hint ? `${id}-hint` : undefined} onFocus={(event) => event.currentTarget.select()} />
        <CopyButton text={value} target={label} />
      </div>
    </div>
  );
}
