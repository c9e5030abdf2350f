/**
 * Options of one Edition that change how its email reads rather than what it
 * holds: for now whether its summaries are short or full
 * (templates/editor/edition-summaries.eta). Through editEdition, like every
 * change: checked against the Edition's state, an approved one back to draft,
 * recorded with the editor's email.
 */
import type { FastifyInstance } from 'fastify';
import { SUMMARY_FORMS, type SummaryForm } from '../../digest/summary.js';
import { InputError } from '../../errors.js';
import { editEdition } from '../../store/edition-edits.js';
import { findEdition } from './editions.js';
import { field } from './forms.js';
import type { EditorContext } from './pages.js';

export function registerEditionOptions(scope: FastifyInstance, context: EditorContext): void {
  scope.post('/editions/:id/summaries', async (request, reply) => {
    const { id } = request.params as { id: string };
    return context.act(request, reply, `/editions/${encodeURIComponent(id)}`, async () => {
      const summaries = field(request.body, 'summaries');
      if (!SUMMARY_FORMS.includes(summaries as SummaryForm)) throw new InputError('form', 'summaries', `expected ${SUMMARY_FORMS.join(' or ')}, not "${summaries}"`);
      const edition = await findEdition(context, id);
      if (edition.summaries === summaries) return 'Nothing changed.';
      await editEdition(context.runtime.db, id, request.editor!.email, { kind: 'summaries', summaries: summaries as SummaryForm });
      return summaries === 'short' ? 'The email shows short summaries.' : 'The email shows the full summaries.';
    });
  });
}
