/** Subscribers and the suppression list in the store, on PGlite and PostgreSQL; the deployment's signing key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { signingSecret } from '../../src/store/secrets.js';
import { addSubscriber, confirmSubscriber, getSubscriber, listSubscribers, suppress } from '../../src/store/subscribers.js';
import { storeTargets } from '../helpers/databases.js';

describe.each(storeTargets)('Subscribers (%s)', (target) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await target.open());
    await migrate(db);
  });
  afterAll(async () => drop());

  it('adds, confirms, and never adds back an address that unsubscribed', async () => {
    const added = await addSubscriber(db, { email: 'ana@example.org', consent: 'form 127.0.0.1' });
    expect(added).toMatchObject({ outcome: 'added', subscriber: { email: 'ana@example.org', status: 'pending', topics: [] } });
    expect((await addSubscriber(db, { email: 'ana@example.org', consent: 'form' })).outcome).toBe('exists');
    const id = added.subscriber!.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(await confirmSubscriber(db, id)).toMatchObject({ status: 'confirmed' });

    await suppress(db, 'ana@example.org', 'unsubscribed', 'one-click');
    expect(await getSubscriber(db, id)).toMatchObject({ status: 'unsubscribed' });
    expect((await addSubscriber(db, { email: 'ana@example.org', consent: 'import', confirmed: true })).outcome).toBe('suppressed');
    expect(await listSubscribers(db, { status: 'confirmed' })).toEqual([]);
    expect(await getSubscriber(db, 'not-a-uuid')).toBeUndefined();
  });

  it('makes one signing key and keeps it; a configured one wins', async () => {
    const first = await signingSecret(db, undefined);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(await signingSecret(db, undefined)).toBe(first);
    expect(await signingSecret(db, 'configured-secret-of-at-least-32-chars')).toBe('configured-secret-of-at-least-32-chars');
  });
});
