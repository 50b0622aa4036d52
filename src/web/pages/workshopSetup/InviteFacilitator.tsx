import { localeOf } from '../../../domain/languages.js';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { CopyField } from '../../components/CopyButton.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';

/** A one-time link that makes a facilitator account; the planner copies it and sends it on. */
export function InviteFacilitator() {
  const { t, language } = useI18n();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [invitation, setInvitation] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name')).trim();
    const email = String(form.get('email')).trim();
    try {
      setInvitation(await api.inviteFacilitator({ ...(name && { name }), ...(email && { email }) }));
      setError(null);
      announce(t('ws.inviteReady'));
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <details className="invite" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('ws.inviteFacilitator')}</summary>
      <p className="hint">{t('ws.inviteHelp')}</p>
      <form className="narrow" onSubmit={submit}>
        <TextField label={t('ws.inviteName')} name="name" maxLength={120} autoComplete="off" />
        <TextField label={t('ws.inviteEmail')} name="email" type="email" maxLength={200} autoComplete="off" />
        <ErrorMessage error={error} />
        <button type="submit">{t('ws.inviteCreate')}</button>
      </form>
      {invitation && (
        <div className="notice">
          <CopyField
            label={t('ws.inviteLink')}
            value={invitation.url}
            hint={t('ws.inviteExpires', { date: new Date(invitation.expiresAt).toLocaleDateString(localeOf[language]) })}
          />
        </div>
      )}
    </details>
  );
}
