/**
 * Email addresses and header values from outside (forms, CSV imports, the
 * config): checked before they reach a header. An address is what browsers'
 * <input type=email> accepts (the WHATWG rule), with a dotted domain, folded to
 * lower case; anything carrying a line break or a control character is refused,
 * since in a header it would start a header of its own (header injection).
 */
import { domainToASCII } from 'node:url';
import { InputError } from '../errors.js';

const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The address as stored (lower case, the domain in ASCII), or an InputError naming where it came from and why. */
export function parseAddress(input: string, where: string): string {
  const text = input.trim();
  if (CONTROL.test(text)) throw new InputError('address', where, 'contains a line break or control character');
  const at = text.lastIndexOf('@');
  if (at < 1 || text.length > 254) throw new InputError('address', where, `"${text.slice(0, 80)}" is not an email address`);
  const local = text.slice(0, at);
  const domain = domainToASCII(text.slice(at + 1).toLowerCase());
  const labels = domain.split('.');
  if (!LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..') || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    throw new InputError('address', where, `"${text.slice(0, 80)}" is not an email address`);
  }
  return `${local.toLowerCase()}@${domain}`;
}

/** A value bound for a header (a name, a subject): refused with a line break or control character in it. */
export function headerValue(value: string, where: string): string {
  if (CONTROL.test(value)) throw new InputError('header', where, 'contains a line break or control character');
  return value;
}
