import { describe, expect, it } from 'vitest';
import { classifySmtpError, serverWait } from '../../../src/mail/smtp-reply.js';

const smtpError = (response: string, command: string, code = 'EENVELOPE') =>
  Object.assign(new Error(`failed: ${response}`), { response, responseCode: Number(response.slice(0, 3)), command, code });

describe('SMTP replies', () => {
  it('reads the wait a server names', () => {
    expect(serverWait('421 4.7.0 Too many messages, try again in 30 seconds')).toBe(30_000);
    expect(serverWait('451 Please retry after 2 minutes')).toBe(120_000);
    expect(serverWait('421 try again later in 10s')).toBe(10_000);
    expect(serverWait('454 Temporary authentication failure')).toBeNull();
    expect(serverWait('421 try again in 5 hours')).toBe(15 * 60_000);
  });

  it('defers 4xx at any stage, bounces 5xx for the recipient, and blames us for 5xx about the sender or login', () => {
    expect(classifySmtpError(smtpError('421 4.7.0 slow down, try again in 3 seconds', 'CONN', 'ECONNECTION'))).toEqual({
      kind: 'deferred',
      reply: '421 4.7.0 slow down, try again in 3 seconds',
      waitMs: 3_000,
    });
    expect(classifySmtpError(smtpError('454 4.7.0 Temporary failure', 'RCPT TO'))).toMatchObject({ kind: 'deferred', waitMs: null });
    expect(classifySmtpError(smtpError('550 5.1.1 no such user', 'RCPT TO'))).toMatchObject({ kind: 'bounced', reply: '550 5.1.1 no such user' });
    expect(classifySmtpError(smtpError('550 5.1.1 mailbox unknown', 'DATA', 'EMESSAGE'))).toMatchObject({ kind: 'bounced' });
    expect(classifySmtpError(smtpError('554 5.7.1 message refused as spam', 'DATA', 'EMESSAGE'))).toMatchObject({ kind: 'rejected' });
    expect(classifySmtpError(smtpError('553 5.7.1 sender not allowed', 'MAIL FROM'))).toMatchObject({ kind: 'config' });
    expect(classifySmtpError(Object.assign(new Error('Invalid login: 535 5.7.8 bad credentials'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }))).toMatchObject({ kind: 'config' });
    expect(classifySmtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }))).toEqual({ kind: 'error', reply: 'connect ECONNREFUSED 127.0.0.1:25' });
  });
});
