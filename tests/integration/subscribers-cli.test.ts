/**
 * `newsdesk subscribers`: the CSV import checked row by row (a consent column
 * required, bad rows named by line, suppressed addresses never re-added, a
 * second run changing nothing), the export imported back into another store,
 * on PGlite and PostgreSQL; then the commands themselves, `add` mailing its
 * confirmation through a real SMTP server, and the exit codes of the binary.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.js';
import {
  addSubscriberCommand,
  exportSubscribersCommand,
  importSubscribers,
  importSubscribersCommand,
  listSubscribersCommand,
} from '../../src/cli/subscribers.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { formatSubscriberCsv, parseSubscriberCsv } from '../../src/mail/subscriber-csv.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { addSubscriber, getSuppression, listSubscribers, listSuppressions, subscriberByEmail, suppress } from '../../src/store/subscribers.js';
import { loadTaxonomy } from '../../src/tag/taxonomy.js';
import { storeTargets } from '../helpers/databases.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const taxonomy = loadTaxonomy('samples/topics.yaml');
const log = createLogger({ level: 'silent' });

const MEMBERS = [
  'Email,Name,Topics,Consent,Source',
  'ana@example.org,Ana Kim,escape;women,signed up at the 2025 conference,paper',
  'not-an-address,Bo,,yes,',
  'cai@example.org,"Cai',
  'Lee",,yes,',
  'dee@example.org,Dee,escape nope,yes,',
  '',
  'eli@example.org,Eli,,,',
  'ANA@example.org,Ana again,,yes,',
  'fay@example.org,"=HYPERLINK(""http://x"")",family resettlement,"said ""yes"" by phone",',
  'gus@example.org,Gus',
  'hal@example.org,Hal,,  newsletter box ticked  ,',
].join('\r\n');

describe('reading an import file', () => {
  it('refuses a file without a consent column, naming the column', () => {
    expect(() => parseSubscriberCsv('email,name\nana@example.org,Ana\n', 'old.csv', taxonomy)).toThrow(
      'subscribers import: old.csv: no "consent" column (the header has: email, name)',
    );
    expect(() => parseSubscriberCsv('name,consent\nAna,yes\n', 'x.csv', taxonomy)).toThrow('no "email" column');
    expect(() => parseSubscriberCsv('', 'empty.csv', taxonomy)).toThrow('no "email" column (the file is empty)');
    expect(() => parseSubscriberCsv('email,consent,Email\n', 'twice.csv', taxonomy)).toThrow('the header names the column "email" twice');
  });

  it('names each bad row by its line and why, and keeps the good ones', () => {
    const parsed = parseSubscriberCsv(MEMBERS, 'members.csv', taxonomy);
    expect(parsed.problems).toEqual([
      { line: 3, message: '"not-an-address" is not an email address' },
      { line: 4, message: 'name: contains a line break or control character' },
      { line: 6, message: expect.stringMatching(/^not one of our Topics: nope \(ours: escape, /) },
      { line: 9, message: 'ana@example.org is on line 2 already' },
      { line: 11, message: expect.stringContaining('Invalid Record Length') },
    ]);
    expect(parsed.noConsent).toBe(1);
    expect(parsed.ignoredColumns).toEqual(['source']);
    expect(parsed.rows).toEqual([
      { line: 2, email: 'ana@example.org', name: 'Ana Kim', topics: ['escape', 'women'], consent: 'signed up at the 2025 conference', status: 'confirmed' },
      { line: 10, email: 'fay@example.org', name: '=HYPERLINK("http://x")', topics: ['family', 'resettlement'], consent: 'said "yes" by phone', status: 'confirmed' },
      { line: 12, email: 'hal@example.org', name: 'Hal', topics: [], consent: 'newsletter box ticked', status: 'confirmed' },
    ]);
  });
});

describe.each(storeTargets)('importing and exporting Subscribers ($name)', (target) => {
  let db: Db;
  let other: Db;
  const drops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const [first, second] = [await target.open(), await target.open()];
    drops.push(first.drop, second.drop);
    [db, other] = [first.db, second.db];
    await migrate(db);
    await migrate(other);
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('stores the good rows as confirmed with their consent, never re-adds a suppressed address, and changes nothing the second time', async () => {
    await suppress(db, 'hal@example.org', 'unsubscribed', 'one-click');
    await addSubscriber(db, { email: 'fay@example.org', name: 'Fay', consent: 'form 10.0.0.1' });
    const parsed = parseSubscriberCsv(MEMBERS, 'members.csv', taxonomy);

    expect(await importSubscribers(db, parsed, 'members.csv', true)).toEqual({ added: 1, existing: 1, suppressed: 1, suppressionsAdded: 0 });
    expect(await subscriberByEmail(db, 'ana@example.org')).toBeUndefined();

    expect(await db.transaction((tx) => importSubscribers(tx, parsed, 'members.csv', false))).toEqual({ added: 1, existing: 1, suppressed: 1, suppressionsAdded: 0 });
    expect(await subscriberByEmail(db, 'ana@example.org')).toMatchObject({
      status: 'confirmed',
      name: 'Ana Kim',
      topics: ['escape', 'women'],
      consent: 'import members.csv: signed up at the 2025 conference',
      confirmedAt: expect.any(Date),
    });
    // Already there: left as it was (pending, its own consent), not confirmed by the file.
    expect(await subscriberByEmail(db, 'fay@example.org')).toMatchObject({ status: 'pending', name: 'Fay', consent: 'form 10.0.0.1' });
    expect(await subscriberByEmail(db, 'hal@example.org')).toBeUndefined();
    expect(await getSuppression(db, 'hal@example.org')).toMatchObject({ reason: 'unsubscribed' });

    const before = await listSubscribers(db);
    expect(await importSubscribers(db, parsed, 'members.csv', false)).toEqual({ added: 0, existing: 2, suppressed: 1, suppressionsAdded: 0 });
    expect(await listSubscribers(db)).toEqual(before);
  });

  it('exports every Subscriber and suppression; the export imports back into another store', async () => {
    await suppress(db, 'stranger@example.org', 'bounced', 'webhook');
    await addSubscriber(db, { email: 'ivy@example.org', name: '-Ivy, "the" editor', topics: ['faith'], consent: 'cli ed: phone', confirmed: true });
    await suppress(db, 'ivy@example.org', 'complained', 'webhook');
    const csv = formatSubscriberCsv(await listSubscribers(db), await listSuppressions(db));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['email', 'name', 'status', 'topics', 'consent', 'created_at', 'confirmed_at']);
    expect(rows.map((row) => [row.email, row.status])).toEqual([
      ['fay@example.org', 'pending'],
      ['ana@example.org', 'confirmed'],
      ['ivy@example.org', 'complained'],
      ['hal@example.org', 'unsubscribed'],
      ['stranger@example.org', 'bounced'],
    ]);
    expect(rows.find((row) => row.email === 'ivy@example.org')!.name).toBe(`'-Ivy, "the" editor`);
    expect(rows.find((row) => row.email === 'ana@example.org')).toMatchObject({ topics: 'escape women', consent: 'import members.csv: signed up at the 2025 conference' });

    const parsed = parseSubscriberCsv(csv, 'export.csv', taxonomy);
    expect(parsed).toMatchObject({ problems: [], pending: 1, noConsent: 0, ignoredColumns: ['created_at', 'confirmed_at'] });
    expect(await importSubscribers(other, parsed, 'export.csv', false)).toEqual({ added: 1, existing: 0, suppressed: 0, suppressionsAdded: 3 });
    const again = parse(formatSubscriberCsv(await listSubscribers(other), await listSuppressions(other)), { columns: true }) as Record<string, string>[];
    const shape = (list: Record<string, string>[]) => list.map((row) => ({ email: row.email, status: row.status, topics: row.topics })).sort((a, b) => (a.email ?? '').localeCompare(b.email ?? ''));
    // The pending address never confirmed: it does not travel. Everything else does, suppressions included.
    expect(shape(again)).toEqual(shape(rows.filter((row) => row.status !== 'pending')).map((row) => ({ ...row, topics: row.status === 'confirmed' ? row.topics : '' })));
    expect(again.find((row) => row.email === 'ana@example.org')).toMatchObject({ name: 'Ana Kim', consent: 'import export.csv: import members.csv: signed up at the 2025 conference' });
    expect((await addSubscriber(other, { email: 'ivy@example.org', consent: 'form' })).outcome).toBe('suppressed');
  });
});

describe('the subscribers commands', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let config: Config & { folder: string };
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    config = await sampleConfig('pglite', cleanups);
  });
  afterAll(async () => {
    await inbox.close();
    for (const cleanup of cleanups) await cleanup();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('adds a pending Subscriber with a confirmation email, or prints the link without SMTP; --confirmed needs --consent', async () => {
    const mailed = await addSubscriberCommand({ ...config, mail: { ...config.mail, smtpUrl: inbox.url } }, log, 'Ana@Example.org', { name: 'Ana', topics: 'escape,women', confirmed: false, by: 'ed' });
    expect(mailed).toEqual({ text: 'subscribers: added ana@example.org (pending); a confirmation email was sent', refused: false });
    expect((await inbox.waitFor('ana@example.org')).text).toMatch(/https:\/\/news\.example\.org\/confirm\?token=/);

    const printed = await addSubscriberCommand(config, log, 'bo@example.org', { confirmed: false, by: 'ed' });
    expect(printed.text).toMatch(/^subscribers: added bo@example.org \(pending\); no SMTP server is configured .*\nhttps:\/\/news\.example\.org\/confirm\?token=\S+$/s);

    await expect(addSubscriberCommand(config, log, 'cai@example.org', { confirmed: true, by: 'ed' })).rejects.toThrow('--confirmed needs --consent');
    await expect(addSubscriberCommand(config, log, 'cai@example.org', { name: 'Cai\r\nBcc: x@example.org', confirmed: false, by: 'ed' })).rejects.toThrow('line break');
    await expect(addSubscriberCommand(config, log, 'cai@example.org', { topics: 'nope', confirmed: false, by: 'ed' })).rejects.toThrow('not one of our Topics: nope');
    expect(await addSubscriberCommand(config, log, 'cai@example.org', { confirmed: true, consent: 'asked at the door', by: 'ed' })).toEqual({ text: 'subscribers: added cai@example.org (confirmed)', refused: false });

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsdesk-import-')), 'members.csv');
    writeFileSync(file, 'email,consent\ncai@example.org,yes\ndee@example.org,yes\nnobody,yes\n');
    const dry = await importSubscribersCommand(config, log, file, { dryRun: true });
    expect(dry.refused).toBe(true);
    expect(dry.text).toContain('1 would be added, confirmed');
    expect(dry.text).toContain('line 4: "nobody" is not an email address');
    expect((await importSubscribersCommand(config, log, file, { dryRun: false })).text).toContain('1 already there');

    const list = await listSubscribersCommand(config, log, { json: false });
    expect(list).toMatch(/ana@example\.org\s+Ana\s+pending\s+escape women/);
    expect(list).toContain('4 Subscribers');
    expect(JSON.parse(await listSubscribersCommand(config, log, { status: 'confirmed', json: true })).map((s: { email: string }) => s.email)).toEqual(['cai@example.org', 'dee@example.org']);
    const exported = parse(await exportSubscribersCommand(config, log), { columns: true }) as Record<string, string>[];
    expect(exported.find((row) => row.email === 'cai@example.org')).toMatchObject({ status: 'confirmed', consent: 'cli ed: asked at the door' });
  });

  it('exits 1 naming the missing consent column, 3 when rows were refused', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'newsdesk-import-'));
    writeFileSync(path.join(folder, 'old.csv'), 'email,name\nana@example.org,Ana\n');
    writeFileSync(path.join(folder, 'some.csv'), 'email,consent\nnobody,yes\n');
    vi.stubEnv('NEWSDESK_DATA_DIR', path.join(config.folder, 'pglite'));
    vi.stubEnv('NEWSDESK_OUTPUT', path.join(config.folder, 'out'));
    // The command line as a person types it, run in this process: exit code, stdout, stderr.
    const run = async (file: string) => {
      let stdout = '';
      let stderr = '';
      const code = await main(['-c', 'newsdesk.yaml', 'subscribers', 'import', path.join(folder, file)], { out: (text) => (stdout += text), err: (text) => (stderr += text) });
      return { code, stdout, stderr };
    };
    const old = await run('old.csv');
    expect(old.code).toBe(1);
    expect(old.stderr).toContain(`no "consent" column (the header has: email, name)`);
    const some = await run('some.csv');
    expect(some.code).toBe(3);
    expect(some.stdout).toContain('line 2: "nobody" is not an email address');
  }, 60_000);
});
