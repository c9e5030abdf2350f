/**
 * The Sources page: each Source's health as the fetches left it (as `newsdesk
 * sources list` prints it); a feed added by its address, after a test fetch
 * whose result is shown before anything is saved; Sources switched on and off.
 *
 * Sources are listed in the config file, so a change is made there, by the
 * functions `newsdesk sources add | enable | disable` call (src/config-edit.ts);
 * then the store follows the file at once (as every process does when it
 * starts) and, deployed, the Source schedulers too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addFeedSources, switchSource } from '../../config-edit.js';
import type { SourceConfig } from '../../config-sources.js';
import { InputError, NewsdeskError } from '../../errors.js';
import { checkFeedAddress, tryFeed, type FeedTrial } from '../../ingest/fetch/try-feed.js';
import { syncSchedulers } from '../../queue/schedules.js';
import { listSourceHealth, syncSources } from '../../store/sources.js';
import { field } from './forms.js';
import type { EditorContext } from './pages.js';

interface TrialView {
  /** The address as the editor typed it, to show in the form again. */
  address: string;
  trial: FeedTrial | null;
  /** A refused address (not http(s)). */
  problem: string | null;
  /** The feed is configured already: that Source's id. */
  knownAs: string | null;
  /** The name the Save form suggests: the feed's title, else its host. */
  name: string;
}

export function registerSourcePages(scope: FastifyInstance, context: EditorContext): void {
  const { db, config, politeness } = context.runtime;

  const page = async (request: FastifyRequest, reply: FastifyReply, view: TrialView | null = null, code = 200) =>
    context.show(request, reply, 'sources', { title: 'Sources', nav: 'sources', sources: await listSourceHealth(db), view }, code);

  /** After the config file changed: the store, and the schedulers when deployed, follow it now rather than at the next start. */
  const follow = async (sources: SourceConfig[]) => {
    await syncSources(db, sources);
    if (context.jobs) await syncSchedulers(context.jobs, { sources, schedule: config.schedule });
  };
  const when = context.jobs ? 'on its schedule' : 'on the next run';

  scope.get('/sources', async (request, reply) => page(request, reply));

  // A POST although it saves nothing: it makes the server fetch an address, which no other site's link should do.
  scope.post('/sources/try', async (request, reply) => {
    const address = field(request.body, 'address').trim();
    let url: string;
    try {
      url = checkFeedAddress(address, 'Sources: add');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return page(request, reply, { address, trial: null, problem: error.message, knownAs: null, name: '' }, 400);
    }
    const trial = await tryFeed(url, config, politeness);
    if (!trial.ok) return page(request, reply, { address, trial, problem: null, knownAs: null, name: '' });
    const name = trial.title?.trim() || new URL(trial.feedUrl).hostname;
    // A dry run of Save: says whether the file lists the feed already, writes nothing.
    const { known } = addFeedSources(config.file, [{ url: trial.feedUrl, name }], { dryRun: true });
    return page(request, reply, { address, trial, problem: null, knownAs: known[0]?.id ?? null, name });
  });

  scope.post('/sources', async (request, reply) =>
    context.act(request, reply, '/sources', async () => {
      const url = checkFeedAddress(field(request.body, 'url'), 'Sources: add');
      const feed = { url, name: field(request.body, 'name'), outlet: field(request.body, 'outlet') };
      if (feed.name.trim() === '') throw new InputError('Sources: add', 'name', 'give the Source a name');
      const { added, known, sources } = addFeedSources(config.file, [feed]);
      if (known[0]) throw new NewsdeskError('usage', `Sources: add: ${url} is configured already, as Source ${known[0].id}`);
      await follow(sources);
      return `Added Source ${added[0]!.id} (${url}) to ${config.file}; it is read ${when}.`;
    }),
  );

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    scope.post(`/sources/:id/${verb}`, async (request, reply) =>
      context.act(request, reply, '/sources', async () => {
        const { id } = request.params as { id: string };
        const { changed, sources } = switchSource(config.file, id, enabled);
        await follow(sources);
        if (!changed) return `Source ${id} was ${enabled ? 'enabled' : 'disabled'} already.`;
        return enabled ? `Source ${id} enabled: it is read ${when}.` : `Source ${id} disabled: it is no longer read; its Items stay.`;
      }),
    );
  }
}
