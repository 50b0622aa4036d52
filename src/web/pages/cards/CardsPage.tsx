import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { formatJoinCode } from '../../../domain/workshops.js';
import type { Workshop } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useI18n } from '../../i18n/i18n.js';
import './cards.css';

/**
 * `/workshops/:id/cards`: the participant cards to print, one page per group. Each card has the
 * person's name, their personal QR code and link (straight in, no code to type) and the join code.
 */
export function CardsPage() {
  const { workshopId = '' } = useParams();
  const { t } = useI18n();
  const [workshop, setWorkshop] = useState<Workshop | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.getWorkshop(workshopId).then(setWorkshop, setError);
  }, [workshopId]);

  const title = workshop ? t('cards.title', { title: workshop.title }) : t('common.loading');
  const joinAt = workshop ? workshop.joinUrl.replace(/\/join\/.*$/, '/join') : '';
  return (
    <Layout title={title} context={<WorkshopNav workshopId={workshopId} workshop={workshop} />}>
      <ErrorMessage error={error} />
      {workshop && (
        <>
          <div className="cards-intro">
            <p>{t('cards.intro')}</p>
            <button type="button" onClick={() => window.print()}>
              {t('cards.print')}
            </button>
          </div>
          {workshop.groups.map((group) => {
            const people = group.participants.filter((p) => !p.anonymised);
            return (
              <section key={group.id} className="card-sheet" aria-labelledby={`sheet-${group.id}`}>
                <h2 id={`sheet-${group.id}`}>
                  {workshop.title} · {group.name}
                </h2>
                {people.length === 0 ? (
                  <p>{t('ws.noParticipants')}</p>
                ) : (
                  <ul className="participant-cards">
                    {people.map((participant) => (
                      <li key={participant.id} className="participant-card" data-participant-id={participant.id}>
                        <p className="participant-card-name">{participant.name}</p>
                        <p className="participant-card-group">{group.name}</p>
                        <img
                          src={`/api/workshops/${workshop.id}/participants/${participant.id}/qr.svg`}
                          alt={t('cards.qrAlt', { name: participant.name })}
                          width={130}
                          height={130}
                        />
                        <p className="participant-card-how">{t('cards.scan')}</p>
                        <p className="participant-card-link">
                          <a href={participant.personalUrl}>{participant.personalUrl}</a>
                        </p>
                        <p className="participant-card-code">{t('cards.orCode', { url: joinAt, code: formatJoinCode(workshop.joinCode) })}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </>
      )}
    </Layout>
  );
}
