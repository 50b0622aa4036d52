import nodemailer from 'nodemailer';

export type SendMail = (message: { to: string; subject: string; text: string }) => Promise<void>;

/**
 * E-mail is optional ([CONS-16]): with SMTP_URL set, receipts and assessment notices go out as
 * plain text; without it the receipt page and the follow link do the job.
 */
export function mailerFrom(smtpUrl: string | undefined, from: string): { send: SendMail; close(): void } | undefined {
  if (!smtpUrl) return undefined;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async (message) => {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}
