/** newsdesk's version, from package.json: named in the User-Agent and the Feeds' generator. */
import { readFileSync } from 'node:fs';

export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
