/**
 * The public Story page of `newsdesk serve`, GET /stories/<id>: where a Feed
 * entry or an email links a Story no Outlet's address is known for
 * (src/publish/story-links.ts). Rendered from the store by the function
 * publish writes the page's file with, so the two say the same; a merged-away
 * id answers 301 with the Story it went into, an unknown one 404. No login,
 * and the public pages' headers (CSP without inline script or style).
 * The editors' page of a Story is /stories/<id>/edit.
 */
import type { FastifyInstance } from 'fastify';
import { STORY_ID, STORY_PAGES_FOLDER } from '../publish/story-links.js';
import { renderStoryPage, storyPageSite } from '../publish/story-page.js';
import type { Runtime } from '../runtime.js';
import { readStoryPages } from '../store/story-pages.js';
import { PAGE_HEADERS } from './editor/pages.js';
import { renderPublicPage } from './subscribe/views.js';

/** The public pages' headers, but cacheable for a while: a Story page is the same for everybody. */
const HEADERS = { ...PAGE_HEADERS, 'cache-control': 'public, max-age=300' };

export function registerStoryPage(app: FastifyInstance, runtime: Runtime): void {
  const { config, db, taxonomy } = runtime;
  const site = storyPageSite(config, taxonomy);
  app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(HEADERS);
    });
    scope.get(`/${STORY_PAGES_FOLDER}/:id`, async (request, reply) => {
      const { id } = request.params as { id: string };
      const { stories, moved } = STORY_ID.test(id) ? await readStoryPages(db, [id]) : { stories: [], moved: [] };
      const into = moved.find((m) => m.id === id)?.into;
      // Permanent: a merge is never undone under the same id (a split makes a new Story).
      if (into) return reply.redirect(`/${STORY_PAGES_FOLDER}/${encodeURIComponent(into)}`, 301);
      const story = stories.find((s) => s.id === id);
      if (!story) {
        const html = renderPublicPage(config, 'message', { title: 'No such Story', kind: 'error', message: 'There is no Story at this address.' });
        return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
      }
      return reply.type('text/html; charset=utf-8').send(renderStoryPage(story, site));
    });
  });
}
