/** config `admin.token`: the queue dashboard's password, from the file or NEWSDESK_ADMIN_TOKEN, never echoed in errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsdesk-config-')), 'newsdesk.yaml');
const write = (admin: string) =>
  writeFileSync(file, `site: { title: Desk, url: "https://desk.example.org" }\n${admin}\nsources:\n  - { id: archive, kind: archive, name: Archive, path: pages }\n`);

describe('admin.token', () => {
  it('is absent unless configured; the environment overrides the file', () => {
    write('');
    expect(loadConfig(file, {}).admin).toEqual({});
    write('admin: { token: "from-the-file-0123456789" }');
    expect(loadConfig(file, {}).admin.token).toBe('from-the-file-0123456789');
    expect(loadConfig(file, { NEWSDESK_ADMIN_TOKEN: 'from-the-environment-0123' }).admin.token).toBe('from-the-environment-0123');
  });

  it('refuses a short token, naming the key but not the value', () => {
    write('');
    let message = '';
    try {
      loadConfig(file, { NEWSDESK_ADMIN_TOKEN: 'secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('admin.token');
    expect(message).not.toContain('secret');
  });
});
