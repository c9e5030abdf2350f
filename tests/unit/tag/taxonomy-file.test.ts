import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { TaxonomyFile } from '../../../src/tag/taxonomy-file.js';
import { loadTaxonomy } from '../../../src/tag/taxonomy.js';

describe('TaxonomyFile', () => {
  it('gives the edited taxonomy after an edit, and keeps the last good one when an edit does not parse', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsdesk-taxonomy-')), 'topics.yaml');
    copyFileSync('samples/topics.yaml', file);
    const first = loadTaxonomy(file);
    const watched = new TaxonomyFile(file, first, createLogger({ level: 'silent' }));
    expect(watched.current()).toBe(first);

    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/\n  - slug: faith[\s\S]*?(?=\n  - slug: |\n*$)/, ''));
    // The same second as the first write on coarse clocks: the size tells the edit apart anyway.
    const edited = watched.current();
    expect(edited.version).not.toBe(first.version);
    expect(edited.topics.map((t) => t.slug)).not.toContain('faith');
    expect(edited.topics).toHaveLength(first.topics.length - 1);

    writeFileSync(file, 'topics: [ { slug: "Not A Slug" ');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(watched.current()).toBe(edited);
  });
});
