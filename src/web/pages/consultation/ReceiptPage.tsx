import { Link, useLocation, useParams } from 'react-router';
import type { SubmissionReceipt } from '../../../contract/consultation.schema.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import './consultation.css';

/** The receipt ([CONS-5]): the reference and the personal link to follow the input. */
export function ReceiptPage() {
  const { consultationId = '' } = useParams();
  const { t } = useI18n();
  const receipt = useLocation().state as SubmissionReceipt | null;
  return (
    <Layout title={t('cons.receipt.title')}>
      {receipt ? (
        <div className="cons-receipt">
          <p>{t('cons.receipt.thanks')}</p>
          <p className="cons-reference">
            {t('cons.receipt.reference')} <strong>{receipt.reference}</strong>
          </p>
          <p>{t('cons.receipt.follow')}</p>
          <p className="cons-follow-link">
            <a href={receipt.followUrl}>{receipt.followUrl}</a>
          </p>
          <CopyButton text={receipt.followUrl} target={t('cons.receipt.followLink')} />
          <p className="muted">{t('cons.receipt.keep')}</p>
        </div>
      ) : (
        <p>{t('cons.receipt.none')}</p>
      )}
      <p>
        <Link to={`/consultations/${consultationId}`}>{t('cons.receipt.back')}</Link>
      </p>
    </Layout>
  );
}
