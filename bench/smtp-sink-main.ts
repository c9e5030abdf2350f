/**
 * The send bench's SMTP server, in a process of its own (so its work is not
 * counted against the sender's): prints its URL, counts messages, prints the
 * count for every line it reads on stdin, and once more when stdin closes.
 */
import { createInterface } from 'node:readline';
import { startSmtpSink } from '../tests/helpers/smtp-sink.js';

const sink = await startSmtpSink({ keepRaw: false });
process.stdout.write(`${sink.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', () => process.stdout.write(`${sink.messages.length}\n`));
lines.on('close', () => {
  process.stdout.write(`${sink.messages.length}\n`);
  void sink.close().then(() => process.exit(0));
});
