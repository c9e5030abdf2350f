/**
 * What sending needs that lives as long as the process: the sender (its SMTP
 * pool and rate) and the renders per preference set. Made on first use, so a
 * process that never sends opens no SMTP connection and needs no smtpUrl;
 * closed with the runtime.
 */
import type { Config } from '../config.js';
import { EditionRenders } from './renders.js';
import { Sender } from './sender.js';

export interface Mailer {
  sender: Sender;
  renders: EditionRenders;
}

export interface MailerSource {
  /** The process's Mailer; throws a usage error (naming the setting) when no SMTP server is configured. */
  get(): Mailer;
}

export class LazyMailer implements MailerSource {
  private mailer: Mailer | null = null;

  constructor(private readonly mail: Config['mail']) {}

  get(): Mailer {
    this.mailer ??= { sender: Sender.fromConfig(this.mail), renders: new EditionRenders() };
    return this.mailer;
  }

  close(): void {
    this.mailer?.sender.close();
    this.mailer = null;
  }
}
