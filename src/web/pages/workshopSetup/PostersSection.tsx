import type { FormEvent } from 'react';
import { POSTER_TEXT_MAX } from '../../../domain/workshops.js';
import type { Poster, Workshop } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ActionButton } from '../../components/ActionButton.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextAreaField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

/** Every perspective's two posters, with their instructions, box prompt and stars. */
export function PostersSection({ workshop, actions, canChange }: { workshop: Workshop; actions: WorkshopActions; canChange: boolean }) {
  const { t } = useI18n();
  const missing = workshop.perspectivesWithoutPosters;
  return (
    <section aria-labelledby="ws-posters" className="ws-section">
      <h2 id="ws-posters">{t('ws.postersHeading')}</h2>
      <p className="hint">{t('ws.postersHelp')}</p>
      <ErrorMessage error={actions.errorFor('posters')} />
      {canChange && missing.length > 0 && (
        <div className="notice">
          <p>{t('ws.missingPosters', { titles: missing.map((p) => p.title).join(', ') })}</p>
          <button type="button" onClick={() => actions.change('posters', () => api.addMissingPosters(workshop.id))}>
            {t('ws.addMissingPosters')}
          </button>
        </div>
      )}
      {workshop.posters.length === 0 && <p>{t('ws.noPosters')}</p>}
      <ul className="posters">
        {workshop.posters.map((poster) => (
          <PosterCard key={poster.id} workshopId={workshop.id} poster={poster} actions={actions} canChange={canChange} />
        ))}
      </ul>
    </section>
  );
}

function PosterCard({ workshopId, poster, actions, canChange }: { workshopId: string; poster: Poster; actions: WorkshopActions; canChange: boolean }) {
  const { t } = useI18n();
  const title = `${t(`ws.part.${poster.part}`)} – ${poster.perspectiveTitle}`;
  const headingId = `poster-${poster.id}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await actions.change(
      'posters',
      () =>
        api.updatePoster(workshopId, poster.id, {
          instructions: String(form.get('instructions')),
          boxPrompt: String(form.get('boxPrompt')),
          starsEnabled: form.get('starsEnabled') === 'on',
        }),
      t('ws.posterSaved', { title }),
    );
  }

  return (
    <li className="poster-card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title}
        {poster.starsEnabled && <span className="badge stars-badge">{t('ws.starsOn')}</span>}
      </h3>
      {canChange ? (
        <form onSubmit={submit} key={`${poster.instructions}|${poster.boxPrompt}|${poster.starsEnabled}`}>
          <TextAreaField label={t('ws.instructions')} name="instructions" defaultValue={poster.instructions} rows={5} maxLength={POSTER_TEXT_MAX} />
          <TextAreaField label={t('ws.boxPrompt')} name="boxPrompt" defaultValue={poster.boxPrompt} rows={2} maxLength={POSTER_TEXT_MAX} />
          <label className="checkbox">
            <input type="checkbox" name="starsEnabled" defaultChecked={poster.starsEnabled} />
            {t('ws.starsEnabled')}
          </label>
          <div>
            <ActionButton type="submit" label={t('common.save')} target={title} />
          </div>
        </form>
      ) : (
        <>
          <p className="poster-text">{poster.instructions}</p>
          <p className="poster-text">
            <strong>{t('ws.boxPrompt')}:</strong> {poster.boxPrompt}
          </p>
        </>
      )}
    </li>
  );
}
