/**
 * The send bench's SMTP server, in a process of its own (so its work is not
 * counted against the sender's): prints its URL, counts messages, and prints
 * the count when its stdin closes.
 */
import { startSmtpSink } from '../helpers/smtp-sink.js';

const sink = await startSmtpSink({ keepRaw: false });
process.stdout.write(`${sink.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${sink.messages.length}\n`);
  void sink.close().then(() => process.exit(0));
});
