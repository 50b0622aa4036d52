import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { UserOption, Workshop, WorkshopGroup, WorkshopParticipant } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { workshopPaths } from '../../components/WorkshopNav.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { MergeGroupForm } from './MergeGroupForm.js';
import { PasteParticipants } from './PasteParticipants.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

interface Props {
  workshop: Workshop;
  group: WorkshopGroup;
  users: UserOption[];
  actions: WorkshopActions;
  canChange: boolean;
}

/** One group: its name and facilitator, its people, and ways to add more. */
export function GroupCard({ workshop, group, users, actions, canChange }: Props) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const headingId = `group-${group.id}`;
  const scope = `group:${group.id}` as const;
  const error = actions.errorFor(scope);

  async function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name'));
    if (await actions.change(scope, () => api.updateGroup(workshop.id, group.id, { name }))) setRenaming(false);
  }

  async function setFacilitator(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('facilitator'));
    await actions.change(scope, () => api.updateGroup(workshop.id, group.id, { facilitatorUserId: value || null }));
  }

  function remove() {
    if (!window.confirm(t('ws.confirmRemoveGroup', { name: group.name }))) return;
    void actions.change('groups', () => api.removeGroup(workshop.id, group.id), t('ws.groupRemoved', { name: group.name }));
  }

  async function addOne(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name'));
    const saved = await actions.change(
      scope,
      () =>
        api.addParticipant(workshop.id, group.id, {
          id: crypto.randomUUID(),
          name,
          party: String(form.get('party')),
          committee: String(form.get('committee')),
        }),
      t('ws.participantAdded', { name, group: group.name }),
    );
    if (saved) {
      formElement.reset();
      formElement.querySelector('input')?.focus();
    }
  }

  return (
    <section className="group-card" aria-labelledby={headingId} data-group-id={group.id}>
      <div className="group-header">
        <h3 id={headingId}>{group.name}</h3>
        {canChange && (
          <div className="toolbar">
            <button type="button" className="secondary" aria-expanded={renaming} onClick={() => setRenaming((open) => !open)}>
              {t('ws.renameGroup')}
              <span className="visually-hidden"> {group.name}</span>
            </button>
            {group.participants.length === 0 && (
              <button type="button" className="danger" onClick={remove}>
                {t('ws.removeGroup')}
                <span className="visually-hidden"> {group.name}</span>
              </button>
            )}
          </div>
        )}
      </div>
      {renaming && (
        <form className="inline-form" onSubmit={rename}>
          <TextField label={t('ws.groupName')} name="name" defaultValue={group.name} required maxLength={80} autoFocus />
          <button type="submit">{t('common.save')}</button>
          <button type="button" className="secondary" onClick={() => setRenaming(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <p>
        <Link to={workshopPaths(workshop.id).facilitate(group.id)}>{t('ws.facilitatorTable', { group: group.name })}</Link>
      </p>
      {canChange && <MergeGroupForm workshop={workshop} group={group} actions={actions} />}
      {canChange ? (
        <form className="inline-form facilitator-form" onSubmit={setFacilitator} key={group.facilitator?.id ?? 'none'}>
          <FacilitatorSelect group={group} users={users} />
          <button type="submit" className="secondary">
            {t('ws.saveFacilitator')}
            <span className="visually-hidden"> {group.name}</span>
          </button>
        </form>
      ) : (
        <p>
          {t('ws.facilitator')}: {group.facilitator?.name ?? t('ws.noFacilitator')}
        </p>
      )}
      <ErrorMessage error={error} />
      {group.participants.length === 0 ? (
        <p className="muted">{t('ws.noParticipants')}</p>
      ) : (
        <ParticipantsTable workshop={workshop} group={group} actions={actions} canChange={canChange} />
      )}
      {canChange && (
        <div className="add-participants">
          <form className="add-participant" onSubmit={addOne} aria-label={t('ws.addParticipantTo', { group: group.name })}>
            <TextField label={t('ws.participantName')} name="name" required maxLength={120} error={fieldError(error, 'name')} />
            <TextField label={t('ws.partyOptional')} name="party" maxLength={80} />
            <TextField label={t('ws.committeeOptional')} name="committee" maxLength={120} />
            <button type="submit">
              {t('ws.addParticipant')}
              <span className="visually-hidden"> {group.name}</span>
            </button>
          </form>
          <PasteParticipants workshop={workshop} group={group} actions={actions} />
        </div>
      )}
    </section>
  );
}

function FacilitatorSelect({ group, users }: { group: WorkshopGroup; users: UserOption[] }) {
  const { t } = useI18n();
  const id = useId();
  // The current facilitator stays selectable even before the account list has loaded.
  const options = group.facilitator && !users.some((u) => u.id === group.facilitator!.id) ? [{ ...group.facilitator, role: 'facilitator' as const }, ...users] : users;
  return (
    <div className="field">
      <label htmlFor={id}>
        {t('ws.facilitator')}
        <span className="visually-hidden"> {group.name}</span>
      </label>
      <select id={id} name="facilitator" defaultValue={group.facilitator?.id ?? ''}>
        <option value="">{t('ws.noFacilitator')}</option>
        {options.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name} ({t(`ws.role.${user.role}`)})
          </option>
        ))}
      </select>
    </div>
  );
}

function ParticipantsTable({ workshop, group, actions, canChange }: { workshop: Workshop; group: WorkshopGroup; actions: WorkshopActions; canChange: boolean }) {
  const { t } = useI18n();
  const otherGroups = workshop.groups.filter((other) => other.id !== group.id);
  return (
    <table className="participants">
      <caption className="visually-hidden">{t('ws.participantsIn', { group: group.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('ws.participantName')}</th>
          <th scope="col">{t('ws.party')}</th>
          <th scope="col">{t('ws.committee')}</th>
          <th scope="col">{t('ws.personalLink')}</th>
          {canChange && otherGroups.length > 0 && <th scope="col">{t('ws.moveTo')}</th>}
          {canChange && <th scope="col">{t('ws.remove')}</th>}
        </tr>
      </thead>
      <tbody>
        {group.participants.map((participant) => (
          <ParticipantRow
            key={participant.id}
            workshopId={workshop.id}
            group={group}
            participant={participant}
            otherGroups={otherGroups}
            actions={actions}
            canChange={canChange}
          />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  workshopId: string;
  group: WorkshopGroup;
  participant: WorkshopParticipant;
  otherGroups: WorkshopGroup[];
  actions: WorkshopActions;
  canChange: boolean;
}

function ParticipantRow({ workshopId, group, participant, otherGroups, actions, canChange }: RowProps) {
  const { t } = useI18n();
  const selectId = useId();
  const scope = `group:${group.id}` as const;

  async function move(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const groupId = String(new FormData(event.currentTarget).get('groupId'));
    const target = otherGroups.find((other) => other.id === groupId);
    if (!target) return;
    await actions.change(scope, () => api.updateParticipant(workshopId, participant.id, { groupId }), t('ws.moved', { name: participant.name, group: target.name }));
  }

  function remove() {
    if (!window.confirm(t('ws.confirmRemoveParticipant', { name: participant.name }))) return;
    void actions.change(scope, () => api.removeParticipant(workshopId, participant.id), t('ws.participantRemoved', { name: participant.name }));
  }

  return (
    <tr>
      <th scope="row" data-label={t('ws.participantName')}>
        {participant.name}
        {participant.anonymised && <span className="badge">{t('ws.anonymised')}</span>}
      </th>
      <td data-label={t('ws.party')}>{participant.party}</td>
      <td data-label={t('ws.committee')}>{participant.committee}</td>
      <td data-label={t('ws.personalLink')}>
        <CopyButton text={participant.personalUrl} target={t('ws.personalLinkFor', { name: participant.name })} />
      </td>
      {canChange && otherGroups.length > 0 && (
        <td data-label={t('ws.moveTo')}>
          <form className="move-form" onSubmit={move}>
            <label htmlFor={selectId} className="visually-hidden">
              {t('ws.moveToFor', { name: participant.name })}
            </label>
            <select id={selectId} name="groupId" defaultValue={otherGroups[0]!.id}>
              {otherGroups.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.name}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary" aria-label={t('ws.moveButtonFor', { name: participant.name })}>
              {t('ws.move')}
            </button>
          </form>
        </td>
      )}
      {canChange && (
        <td>
          {participant.hasInput ? (
            <span className="muted">{t('ws.hasInput')}</span>
          ) : (
            <button type="button" className="danger" aria-label={t('ws.removeFor', { name: participant.name })} onClick={remove}>
              {t('ws.remove')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
