/** The Sources page: each Source's health as the fetches left it (as `newsdesk sources list` prints it). */
import type { FastifyInstance } from 'fastify';
import { listSourceHealth } from '../../store/sources.js';
import type { EditorContext } from './pages.js';

export function registerSourcePages(scope: FastifyInstance, context: EditorContext): void {
  scope.get('/sources', async (request, reply) => {
    const sources = await listSourceHealth(context.runtime.db);
    return context.show(request, reply, 'sources', { title: 'Sources', nav: 'sources', sources });
  });
}
