/**
 * The deployment's secrets from the environment: the link-signing key
 * (`secret`, NEWSDESK_SECRET) and the mail webhook's (`mail.webhookSecret`,
 * NEWSDESK_WEBHOOK_SECRET) override the file, and a short one is refused,
 * naming the key but never echoing the value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsdesk-config-')), 'newsdesk.yaml');
writeFileSync(file, 'site: { title: Desk, url: "https://desk.example.org" }\nsources:\n  - { id: archive, kind: archive, name: Archive, path: pages }\n');

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(file, env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('secrets in the configuration', () => {
  it('come from the environment', () => {
    const config = loadConfig(file, { NEWSDESK_SECRET: 's'.repeat(32), NEWSDESK_WEBHOOK_SECRET: 'w'.repeat(16) });
    expect(config.secret).toBe('s'.repeat(32));
    expect(config.mail.webhookSecret).toBe('w'.repeat(16));
  });

  it('refuse a signing key under 32 characters and a webhook secret under 16, without echoing them', () => {
    const signing = refusal({ NEWSDESK_SECRET: 'shortsigningkey-31-characters!!' });
    expect(signing).toContain('secret');
    expect(signing).toContain('at least 32 characters');
    expect(signing).not.toContain('shortsigningkey');
    const webhook = refusal({ NEWSDESK_WEBHOOK_SECRET: 'hook-15-chars!!' });
    expect(webhook).toContain('mail.webhookSecret');
    expect(webhook).not.toContain('hook-15-chars');
  });

  it('take an unsubscribe mailbox only with the webhook secret that guards its inbound route, and only one a token fits', () => {
    const withBox = (box: string, env: NodeJS.ProcessEnv) => {
      const boxed = file.replace(/newsdesk\.yaml$/, 'boxed.yaml');
      writeFileSync(boxed, `site: { title: Desk, url: "https://desk.example.org" }\nmail: { unsubscribeMailbox: "${box}" }\nsources:\n  - { id: archive, kind: archive, name: Archive, path: pages }\n`);
      try {
        return loadConfig(boxed, env).mail.unsubscribeMailbox;
      } catch (error) {
        return (error as Error).message;
      }
    };
    const secret = { NEWSDESK_WEBHOOK_SECRET: 'w'.repeat(16) };
    expect(withBox('unsubscribe@desk.example.org', secret)).toBe('unsubscribe@desk.example.org');
    expect(withBox('unsubscribe@desk.example.org', {})).toContain('mail.unsubscribeMailbox: needs mail.webhookSecret');
    expect(withBox('un+sub@desk.example.org', secret)).toContain('no "+" in it');
    expect(withBox('a-sixteen-chars!@desk.example.org', secret)).toContain('at most 15 characters before the "@"');
    expect(withBox('not an address', secret)).toContain('mail.unsubscribeMailbox: not an email address');
  });
});
