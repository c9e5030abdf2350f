/**
 * The command line over the demo configuration on a store of its own (PGlite
 * in a temporary folder, a real SMTP server in this process), run in this
 * process through main(): every command the CLI prints as a hint is run again
 * exactly as printed and must work; a well-formed week with no Edition fails
 * (exit 1) naming it; `run` describes the week's Edition by its real status
 * once it was sent.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { writeSampleConfigFile } from '../helpers/sample-config.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink;
let configFile: string;

beforeAll(async () => {
  sink = await startSmtpSink({ keepRaw: false });
  configFile = writeSampleConfigFile(mkdtempSync(path.join(tmpdir(), 'newsdesk-cli-')), {
    mail: { smtpUrl: sink.url, ratePerSecond: 1000 },
    secret: 'a-cli-test-secret-of-at-least-32-characters',
  });
});
afterAll(async () => {
  await sink?.close();
});

async function newsdesk(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** The hints in a command's output: `npx newsdesk ...` up to the end of the command line (`;`, `)`, a line end, or "sends it"/"goes on"). */
function hints(text: string): string[] {
  return [...text.matchAll(/npx newsdesk ((?:(?! sends it| goes on)[^;)\n])+)/g)].map((match) => match[1]!.trim());
}

/** Runs a printed hint as the shell would: its words, without `npx newsdesk`. */
async function runHint(line: string): Promise<{ code: number; out: string; err: string }> {
  expect(line).not.toMatch(/['"<>]/); // a plain command line here: no quoting, no placeholders
  return newsdesk(line.split(/\s+/));
}

describe('the hints the CLI prints run as printed', () => {
  let editionId: string;

  it('run: the Edition it composed, and its hint shows it', async () => {
    const run = await newsdesk(['-c', configFile, 'run']);
    expect(run.code, run.err).toBe(0);
    const line = /^Edition: (\S+), draft of \d+ Stories out of 45; (.*)$/m.exec(run.out);
    expect(line, run.out).not.toBeNull();
    editionId = line![1]!;
    // The config named with -c is named again: without it the hint would read newsdesk.yaml and another store.
    expect(hints(run.out)).toEqual([`-c ${path.relative(process.cwd(), configFile)} edition show ${editionId}`]);
    const shown = await runHint(hints(run.out)[0]!);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain(`Edition ${editionId} (draft)`);
    // Each Story with the link its email entry has: the samples' archive posts have no Outlet's address, so their pages.
    expect(shown.out).not.toContain('no link');
    expect(shown.out).toMatch(/ · https:\/\/\S+\/stories\/st_\w+\n/);
  }, 60_000);

  it('edition show of a week with no Edition fails (1) naming it, and its hint lists the Editions', async () => {
    const missing = await newsdesk(['-c', configFile, 'edition', 'show', '2020-W10']);
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/^newsdesk: edition show: no such Edition: 2020-W10 \(see npx newsdesk -c \S+ edition list\)\n$/);
    const list = await runHint(hints(missing.err)[0]!);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain(editionId);
    // The store's own "no such Edition" (approve goes through the Edition's moves) is a failure too, its hint runnable.
    const approve = await newsdesk(['-c', configFile, 'edition', 'approve', '2020-W10']);
    expect(approve.code).toBe(1);
    expect(hints(approve.err)).toEqual([`-c ${path.relative(process.cwd(), configFile)} edition list`]);
  }, 60_000);

  it('edition approve: its hint sends the Edition; then `run` calls it sent, not a draft', async () => {
    const added = await newsdesk(['-c', configFile, 'subscribers', 'add', 'reader@example.org', '--confirmed', '--consent', 'a test']);
    expect(added.code, added.err).toBe(0);
    const approved = await newsdesk(['-c', configFile, 'edition', 'approve', editionId]);
    expect(approved.code, approved.err).toBe(0);
    expect(hints(approved.out)).toEqual([`-c ${path.relative(process.cwd(), configFile)} edition send ${editionId}`]);
    const sent = await runHint(hints(approved.out)[0]!);
    expect(sent.code, sent.err).toBe(0);
    expect(sent.out).toContain(`edition ${editionId}: sent`);
    expect(sink.perRecipient.get('reader@example.org')).toBe(1);

    const again = await newsdesk(['-c', configFile, 'run']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(new RegExp(`^Edition: ${editionId}, sent \\(kept as editors left it\\); npx newsdesk`, 'm'));
    expect(again.out).not.toMatch(/draft/);
    expect(again.err).toMatch(new RegExp(`✓ compose: ${editionId}, sent \\(kept as editors left it\\)`));
  }, 60_000);
});
