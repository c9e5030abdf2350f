import { describe, expect, it } from 'vitest';
import { headerValue, parseAddress } from '../../../src/mail/address.js';

describe('parseAddress', () => {
  it('keeps a valid address, folded to lower case, the domain in ASCII', () => {
    expect(parseAddress('  Ana.Kim+news@Example.ORG ', 'form')).toBe('ana.kim+news@example.org');
    expect(parseAddress('kim@bücher.example', 'form')).toBe('kim@xn--bcher-kva.example');
  });

  it.each([
    ['no at sign', 'ana.example.org'],
    ['no dotted domain', 'ana@localhost'],
    ['two dots', 'ana..kim@example.org'],
    ['space', 'ana kim@example.org'],
    ['bad label', 'ana@-example.org'],
  ])('refuses %s, naming the input', (_why, input) => {
    expect(() => parseAddress(input, 'import row 3')).toThrow(`address: import row 3: "${input}" is not an email address`);
  });

  it('refuses a header injection attempt', () => {
    expect(() => parseAddress('ana@example.org\r\nBcc: all@example.org', 'form')).toThrow('address: form: contains a line break or control character');
    expect(() => headerValue('Weekly\nBcc: x@example.org', 'subject')).toThrow('header: subject: contains a line break or control character');
    expect(headerValue('Weekly — news', 'subject')).toBe('Weekly — news');
  });
});
