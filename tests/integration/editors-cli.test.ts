/**
 * `newsdesk editors` as a person runs it, on the embedded store: add with the
 * password on standard input, list, refuse a second add and a short password,
 * change the password, remove. The password never appears on the command line.
 * Run in this process through main(), standard input piped from a buffer.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { createLogger } from '../../src/log.js';
import { withRuntime } from '../../src/runtime.js';
import { editorForLogin } from '../../src/store/editors.js';
import { verifyPassword } from '../../src/web/editor/password.js';
import { sampleConfig } from '../helpers/sample-config.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('newsdesk editors', () => {
  it('adds, lists, changes the password of and removes an editor', async () => {
    const config = await sampleConfig('pglite', cleanups);
    vi.stubEnv('NEWSDESK_OUTPUT', config.output);
    vi.stubEnv('NEWSDESK_DATA_DIR', config.database.dataDir);
    vi.stubEnv('DATABASE_URL', '');
    const newsdesk = async (args: string[], input = '') => {
      let stdout = '';
      let stderr = '';
      const io = { out: (text: string) => (stdout += text), err: (text: string) => (stderr += text), input: Readable.from([Buffer.from(input)]) };
      const status = await main(['-c', 'newsdesk.yaml', 'editors', ...args], io);
      return { status, stdout, stderr };
    };

    const added = await newsdesk(['add', 'Ana@Example.org', '--name', 'Ana Editor', '--password-stdin'], 'correct horse battery\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('editors: added Ana Editor <ana@example.org>');
    // Piped without the flag: standard input is not a terminal, so the password is read from it too.
    expect((await newsdesk(['add', 'ben@example.org', '--name', 'Ben'], 'another long password')).status).toBe(0);

    const list = await newsdesk(['list']);
    expect(list.stdout).toMatch(/ana@example\.org\s+Ana Editor/);
    expect(list.stdout).toContain('2 editors');

    const again = await newsdesk(['add', 'ana@example.org', '--name', 'Ana', '--password-stdin'], 'correct horse battery');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('editors: ana@example.org is already an editor');
    const short = await newsdesk(['add', 'cy@example.org', '--name', 'Cy', '--password-stdin'], 'short');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('at least 10 characters');

    expect((await newsdesk(['password', 'ana@example.org', '--password-stdin'], 'a brand new password\n')).status).toBe(0);
    const log = createLogger({ level: 'silent' });
    const ana = await withRuntime({ ...config, database: { ...config.database, url: '' } }, log, ({ db }) => editorForLogin(db, 'ana@example.org'));
    expect(await verifyPassword('a brand new password', ana!.passwordHash)).toBe(true);
    expect(await verifyPassword('correct horse battery', ana!.passwordHash)).toBe(false);

    expect((await newsdesk(['remove', 'ben@example.org'])).stdout).toContain('editors: removed ben@example.org');
    const gone = await newsdesk(['remove', 'ben@example.org']);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain('editors remove: no editor ben@example.org');
  }, 120_000);
});
