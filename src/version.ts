/** newsdesk's version, from package.json: named in the User-Agent and the Feeds' generator. */
import { readFileSync } from 'node:fs';
import { projectFile } from './project-files.js';

export const version: string = (
  JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }
).version;
