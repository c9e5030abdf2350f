/**
 * A real SMTP server (smtp-server) in the test process that keeps what it is
 * given as raw bytes: the header lines exactly as they came over the wire
 * (mailparser keeps only the last of repeated List-* headers, so a test of
 * "exactly one List-Unsubscribe" must read the raw lines), the envelope, and
 * how many messages each recipient got. `reply` decides the answer to each
 * RCPT TO (a 421 for the first few, a 550 for one address ...); a message
 * counts as received once its DATA ended in full. `keepRaw: false` keeps only
 * the envelope and the Message-ID, for thousands of messages.
 */
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  to: string[];
  messageId: string | null;
  /** The header block as received, unfolded: one entry per header, in order. */
  headers: { name: string; value: string }[];
  raw: Buffer | null;
}

export type RcptReply = { code: number; message: string } | null;

export interface SmtpSink {
  /** For mail.smtpUrl. */
  url: string;
  messages: SinkMessage[];
  /** Messages received per recipient. */
  perRecipient: Map<string, number>;
  /** Decides the reply to each RCPT TO, numbered from 0 over the sink's life; null accepts. */
  reply: (address: string, attempt: number) => RcptReply;
  rcptAttempts: number;
  /**
   * Decides, for each message whose DATA arrived in full (numbered from 0), whether
   * the server drops the connection instead of answering: the message is not
   * received, and the client cannot know. Default: never.
   */
  dropAfterData: (message: number) => boolean;
  dataCount: number;
  /** Connections dropped so far. */
  dropped: number;
  close(): Promise<void>;
}

/** The header block, unfolded (RFC 5322 2.2.3: a line starting with white space continues the one before). */
export function headerLines(raw: Buffer): { name: string; value: string }[] {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const block = end < 0 ? text : text.slice(0, end);
  const lines: { name: string; value: string }[] = [];
  for (const line of block.split('\r\n')) {
    if (/^[ \t]/.test(line) && lines.length > 0) {
      const last = lines[lines.length - 1]!;
      last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) lines.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  return lines;
}

export async function startSmtpSink(options: { keepRaw?: boolean } = {}): Promise<SmtpSink> {
  const keepRaw = options.keepRaw ?? true;
  const sink: Omit<SmtpSink, 'url' | 'close'> = {
    messages: [],
    perRecipient: new Map(),
    reply: () => null,
    rcptAttempts: 0,
    dropAfterData: () => false,
    dataCount: 0,
    dropped: 0,
  };
  // By the client's port: how onData finds the socket to drop.
  const sockets = new Map<number, Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // The sender under test opens a few pooled connections and keeps them: no limit gets in its way.
    maxClients: 1000,
    onRcptTo(address, _session, callback) {
      const reply = sink.reply(address.address.toLowerCase(), sink.rcptAttempts++);
      if (!reply) return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let headerDone = false;
      stream.on('data', (chunk: Buffer) => {
        // Only the header block is needed when raw messages are not kept.
        if (keepRaw || !headerDone) chunks.push(chunk);
        if (!headerDone && chunk.includes('\r\n\r\n')) headerDone = true;
      });
      stream.on('error', () => undefined);
      stream.on('end', () => {
        if (sink.dropAfterData(sink.dataCount++)) {
          sink.dropped += 1;
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        const raw = Buffer.concat(chunks);
        const headers = headerLines(raw);
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        const messageId = headers.find((h) => h.name.toLowerCase() === 'message-id')?.value ?? null;
        sink.messages.push({ to, messageId, headers, raw: keepRaw ? raw : null });
        for (const address of to) sink.perRecipient.set(address, (sink.perRecipient.get(address) ?? 0) + 1);
        callback();
      });
    },
  });
  // A client killed mid-transaction resets its connection: that is the test, not a failure of the sink.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort!;
    sockets.set(port, socket);
    socket.on('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}
