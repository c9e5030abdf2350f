/**
 * A real SMTP server in the test process (smtp-server), keeping every message
 * it is given, parsed (mailparser): what newsdesk sends goes through
 * nodemailer and the SMTP protocol as in production, and the test reads it
 * back. Plain SMTP on 127.0.0.1 (`?tls=off`), no authentication.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
  /** For mail.smtpUrl. */
  url: string;
  messages: ParsedMail[];
  /** The messages to one address. */
  to(address: string): ParsedMail[];
  /** Waits until a message to the address has arrived (the n-th, counting from 1); fails after timeoutMs. */
  waitFor(address: string, n?: number, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

const recipients = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((to) => to.value.map((entry) => (entry.address ?? '').toLowerCase()));

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => messages.filter((mail) => recipients(mail).includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    messages,
    to,
    async waitFor(address, n = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = to(address)[n - 1];
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`smtp inbox: no message ${n} to ${address} within ${timeoutMs} ms (${messages.length} messages in all)`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
