/**
 * What the Subscribers page reads, on PGlite and PostgreSQL: counts by status
 * (and the suppressed addresses no Subscriber has), counts by Topic, the
 * address search (substring, prefix first, paged, `%` and `_` as characters),
 * and one Subscriber's history from the rows that record it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentWithoutAddress } from '../../src/mail/subscriber-csv.js';
import type { Db } from '../../src/store/db.js';
import { markDone, markSending } from '../../src/store/deliveries.js';
import { migrate } from '../../src/store/migrate.js';
import { subscriberHistory } from '../../src/store/subscriber-history.js';
import { addSubscriber, confirmSubscriber, countByTopic, countSubscribers, searchSubscribers, suppress } from '../../src/store/subscribers.js';
import { storeTargets } from '../helpers/databases.js';

describe.each(storeTargets)('the Subscribers page in the store (%s)', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  const ids = new Map<string, string>();
  const add = async (email: string, topics: string[], confirmed: boolean) => {
    const { subscriber } = await addSubscriber(db, { email, topics, consent: 'form 203.0.113.9' });
    if (confirmed) await confirmSubscriber(db, subscriber!.id);
    ids.set(email, subscriber!.id);
  };

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
    await add('ana@example.org', ['escape', 'family'], true);
    await add('anabel@example.org', [], true);
    await add('ban@example.org', ['escape'], true);
    await add('dana@example.net', ['family'], false);
    await add('percent%sign@example.org', [], true);
    await add('left@example.org', ['escape'], true);
    await suppress(db, 'left@example.org', 'unsubscribed', 'one-click');
    await add('gone@example.org', [], true);
    await suppress(db, 'gone@example.org', 'bounced', 'webhook: mailbox does not exist');
    // A stranger the webhook reported: suppressed, no Subscriber.
    await suppress(db, 'stranger@example.com', 'complained', 'webhook');
  });
  afterAll(async () => drop());

  it('counts Subscribers by status, and the suppressed addresses no Subscriber has', async () => {
    expect(await countSubscribers(db)).toEqual({ pending: 1, confirmed: 4, unsubscribed: 1, bounced: 1, complained: 0, suppressedOnly: 1 });
  });

  it('counts confirmed and pending Subscribers by the Topics they chose, those who chose none apart', async () => {
    expect(await countByTopic(db)).toEqual([
      { slug: null, confirmed: 2, pending: 0 },
      { slug: 'escape', confirmed: 2, pending: 0 },
      { slug: 'family', confirmed: 1, pending: 1 },
    ]);
  });

  it('finds addresses containing the text, those starting with it first, a page at a time', async () => {
    const all = await searchSubscribers(db, 'AN', { limit: 10, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.matches.map((m) => m.email)).toEqual(['ana@example.org', 'anabel@example.org', 'ban@example.org', 'dana@example.net']);
    expect(all.matches[0]).toEqual({ id: ids.get('ana@example.org'), email: 'ana@example.org', status: 'confirmed', createdAt: expect.any(Date) });
    const second = await searchSubscribers(db, 'an', { limit: 3, offset: 3 });
    expect(second).toEqual({ total: 4, matches: [expect.objectContaining({ email: 'dana@example.net' })] });
    expect((await searchSubscribers(db, '%', { limit: 10, offset: 0 })).matches.map((m) => m.email)).toEqual(['percent%sign@example.org']);
    expect((await searchSubscribers(db, '_', { limit: 10, offset: 0 })).total).toBe(0);
  });

  it("builds one Subscriber's history: subscribed, confirmed, each Delivery with its Edition and result, and the end", async () => {
    const id = ids.get('ana@example.org')!;
    for (const [edition, subject] of [['2026-W10', 'First week'], ['2026-W11', 'Second week']]) {
      await db.query(
        `insert into editions (id, week, status, subject, window_start, window_end) values ($1, $1, 'sending', $2, now() - interval '7 days', now())`,
        [edition, subject],
      );
      await db.query(`insert into deliveries (edition_id, subscriber_id, batch, status, message_id) values ($1, $2, 0, 'pending', $3)`, [edition, id, `<${edition}@test>`]);
    }
    expect(await markSending(db, '2026-W10', id)).toBe(true);
    await markDone(db, '2026-W10', id, 'sent');
    expect(await markSending(db, '2026-W11', id)).toBe(true);
    await markDone(db, '2026-W11', id, 'bounced', '550 5.1.1 mailbox unavailable');
    await suppress(db, 'ana@example.org', 'bounced', 'smtp: 550 5.1.1 mailbox unavailable');

    const history = await subscriberHistory(db, id);
    expect(history!.subscriber).toMatchObject({ email: 'ana@example.org', status: 'bounced' });
    expect(history!.events.map((e) => e.kind)).toEqual(['subscribed', 'confirmed', 'delivery', 'delivery', 'bounced']);
    expect(history!.events[0]).toMatchObject({ kind: 'subscribed', consent: 'form 203.0.113.9' });
    expect(history!.events[2]).toMatchObject({ kind: 'delivery', editionId: '2026-W10', subject: 'First week', status: 'sent', attempts: 1, detail: null });
    expect(history!.events[3]).toMatchObject({ kind: 'delivery', editionId: '2026-W11', subject: 'Second week', status: 'bounced', detail: '550 5.1.1 mailbox unavailable' });
    expect(history!.events[4]).toMatchObject({ kind: 'bounced', detail: 'smtp: 550 5.1.1 mailbox unavailable' });
    const times = history!.events.map((e) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    expect(await subscriberHistory(db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await subscriberHistory(db, 'not-an-id')).toBeUndefined();
  });

  it('shows consent without the IP address the subscribe form recorded', () => {
    expect(consentWithoutAddress('form 203.0.113.9')).toBe('form');
    expect(consentWithoutAddress('form ::ffff:127.0.0.1')).toBe('form');
    expect(consentWithoutAddress('cli ana@example.org: met at the 2025 conference')).toBe('cli ana@example.org: met at the 2025 conference');
  });
});
