/**
 * The sender: nodemailer's pooled SMTP transport (mail.connections connections
 * kept open) behind the adaptive token bucket (src/mail/rate.ts). One per
 * process, shared by every send job the process runs, so the rate holds for the
 * process whatever the number of batches in flight. Each message ends in one
 * outcome (src/mail/smtp-reply.ts); deferrals slow the bucket down, successes
 * bring it back up.
 */
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { AdaptiveRate, realClock, type Clock, type RateStats } from './rate.js';
import { classifySmtpError, type SmtpFailure } from './smtp-reply.js';
import { smtpTransport } from './smtp.js';

export type SendOutcome = { kind: 'sent' } | SmtpFailure;

export class Sender {
  readonly rate: AdaptiveRate;

  constructor(
    private readonly transport: Transporter,
    ratePerSecond: number,
    /** Messages a send job keeps in flight at once: one per pooled connection. */
    readonly lanes: number,
    clock: Clock = realClock,
  ) {
    this.rate = new AdaptiveRate(ratePerSecond, clock);
  }

  static fromConfig(mail: Config['mail']): Sender {
    return new Sender(smtpTransport(mail), mail.ratePerSecond, mail.connections);
  }

  async send(message: SendMailOptions): Promise<SendOutcome> {
    await this.rate.take();
    try {
      await this.transport.sendMail(message);
      this.rate.speedUp();
      return { kind: 'sent' };
    } catch (error) {
      const failure = classifySmtpError(error);
      if (failure.kind === 'deferred') this.rate.slowDown(failure.waitMs);
      return failure;
    }
  }

  stats(): RateStats {
    return this.rate.stats();
  }

  close(): void {
    this.transport.close();
  }
}
