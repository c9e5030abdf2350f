/**
 * The rendered Edition per preference set, made once and shared by every
 * Subscriber with that set (src/digest/personalise.ts): rendering (MJML, strict
 * checks) takes tens of milliseconds, filling in links microseconds. Kept per
 * process for the few Editions being sent, so every batch a worker runs reuses
 * the renders of the batches before it. An Edition cannot change while it is
 * being sent; the key still carries its content's last change, to be sure.
 */
import { editionForSections, placeholderContext, preferenceKey, sectionsFor } from '../digest/personalise.js';
import { renderEdition, type RenderContext, type RenderedEmail } from '../digest/render.js';
import type { Edition } from '../digest/edition.js';

/** Editions kept at once: a worker sends one or two at a time. */
const EDITIONS_KEPT = 4;

export class EditionRenders {
  /** Renders made (not taken from the cache): one per preference set per Edition. */
  count = 0;
  private readonly editions = new Map<string, Map<string, Promise<RenderedEmail>>>();

  /**
   * The email for Subscribers with these Topic preferences, with placeholder
   * links; null when their preferences leave no Story in this Edition.
   */
  forTopics(edition: Edition, topics: readonly string[], context: RenderContext): Promise<RenderedEmail> | null {
    const sections = sectionsFor(edition, topics);
    if (sections.length === 0) return null;
    const renders = this.rendersOf(edition);
    const key = preferenceKey(sections);
    let render = renders.get(key);
    if (!render) {
      this.count += 1;
      render = renderEdition(editionForSections(edition, sections), placeholderContext(context));
      renders.set(key, render);
      // A failed render is not kept: the next Delivery tries again (and reports the same error if it persists).
      render.catch(() => renders.delete(key));
    }
    return render;
  }

  private rendersOf(edition: Edition): Map<string, Promise<RenderedEmail>> {
    // Its content's last change (pausing or resuming touches updated_at, not the content).
    const key = `${edition.id}@${(edition.editedAt ?? edition.composedAt).getTime()}`;
    let renders = this.editions.get(key);
    if (!renders) {
      renders = new Map();
      this.editions.set(key, renders);
      for (const old of this.editions.keys()) if (this.editions.size > EDITIONS_KEPT) this.editions.delete(old);
    }
    return renders;
  }
}
