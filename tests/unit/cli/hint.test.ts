import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hint } from '../../../src/cli/hint.js';

const cwd = '/srv/newsdesk';

describe('hint: a command line that runs as printed', () => {
  it('is `npx newsdesk ...` with the default configuration', () => {
    expect(hint(path.join(cwd, 'newsdesk.yaml'), 'edition show 2026-W51', {}, cwd)).toBe('npx newsdesk edition show 2026-W51');
    expect(hint(undefined, 'stories review', {}, cwd)).toBe('npx newsdesk stories review');
  });

  it('names another configuration again, relative to the folder it is run in', () => {
    expect(hint('/srv/newsdesk/config/prod.yaml', 'edition show 2026-W51', {}, cwd)).toBe('npx newsdesk -c config/prod.yaml edition show 2026-W51');
    expect(hint('/etc/my desk/it\'s.yaml', 'stories review', {}, cwd)).toBe(`npx newsdesk -c '../../etc/my desk/it'\\''s.yaml' stories review`);
  });

  it('leaves the file out when NEWSDESK_CONFIG names it: the variable is still set where the hint is run', () => {
    expect(hint('/srv/newsdesk/config/prod.yaml', 'stories review', { NEWSDESK_CONFIG: 'config/prod.yaml' }, cwd)).toBe('npx newsdesk stories review');
    expect(hint('/srv/newsdesk/newsdesk.yaml', 'stories review', { NEWSDESK_CONFIG: 'config/prod.yaml' }, cwd)).toBe('npx newsdesk -c newsdesk.yaml stories review');
  });
});
