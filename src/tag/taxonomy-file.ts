/**
 * The taxonomy as a long-running worker sees it. Editors edit the file while
 * workers run, so each job asks for the current one; the file is read again
 * only when its modification time or size changed. An edit that does not parse
 * is logged with the file's own error and the last good taxonomy is kept: a
 * typo in the file never stops tagging.
 */
import { statSync } from 'node:fs';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { loadTaxonomy, type Taxonomy } from './taxonomy.js';

function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'unreadable';
  }
}

export class TaxonomyFile {
  private stamp: string;

  constructor(
    private readonly file: string,
    private taxonomy: Taxonomy,
    private readonly log: Logger,
  ) {
    this.stamp = stampOf(file);
  }

  current(): Taxonomy {
    const stamp = stampOf(this.file);
    if (stamp === this.stamp) return this.taxonomy;
    this.stamp = stamp;
    try {
      this.taxonomy = loadTaxonomy(this.file);
      this.log.info({ file: this.file, version: this.taxonomy.version }, 'taxonomy read again after an edit');
    } catch (error) {
      this.log.error({ file: this.file, err: errorMessage(error) }, 'taxonomy edit refused: tagging goes on with the last good one');
    }
    return this.taxonomy;
  }
}
