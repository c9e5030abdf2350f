/**
 * The links in an email that act for one Subscriber without a login: each
 * carries a signed token (src/mail/tokens.ts). `unsubscribe` serves both the
 * page with one button (GET) and RFC 8058's one-click POST.
 */
import type { Config } from '../config.js';
import { signToken } from './tokens.js';

export interface SubscriberLinks {
  unsubscribe: string;
  preferences: string;
  /** mailto: for List-Unsubscribe (RFC 2369), for mail clients that only mail. */
  unsubscribeMailto: string;
}

/** How long a confirmation link works. Unsubscribe and preferences links never expire: old emails must still work. */
export const CONFIRM_HOURS = 72;

export function siteBase(config: Pick<Config, 'site'>): string {
  return config.site.url.replace(/\/+$/, '');
}

export function subscriberLinks(config: Pick<Config, 'site' | 'mail'>, secret: string, subscriberId: string): SubscriberLinks {
  const base = siteBase(config);
  const unsubscribe = signToken({ purpose: 'unsubscribe', subscriberId }, secret);
  const mailbox = config.mail.unsubscribeMailbox ?? `unsubscribe@${new URL(base).hostname}`;
  return {
    unsubscribe: `${base}/unsubscribe?token=${unsubscribe}`,
    preferences: `${base}/preferences?token=${signToken({ purpose: 'preferences', subscriberId }, secret)}`,
    unsubscribeMailto: `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${unsubscribe}`)}`,
  };
}

export function confirmLink(config: Pick<Config, 'site'>, secret: string, subscriberId: string, now: Date = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + CONFIRM_HOURS * 3600;
  return `${siteBase(config)}/confirm?token=${signToken({ purpose: 'confirm', subscriberId, expires }, secret)}`;
}
