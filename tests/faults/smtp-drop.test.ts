/**
 * The SMTP server drops the connection instead of answering one message in
 * ten (the message arrived in full; the sender cannot know whether it was
 * taken), while two workers send an Edition to 300 Subscribers in three
 * batches. A dropped message's Delivery goes back to pending and is sent
 * again in the same job; every Subscriber ends with the Edition.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSending } from '../../src/mail/sending.js';
import { approvedEdition, emailCounts, queueIngest, report, sentWithin, settle, startRig, type Rig } from './rig.js';

const SUBSCRIBERS = 300;
let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ sources: 10, articlesPerSource: 3, mail: {} });
}, 60_000);
afterAll(() => rig?.close());

it('the SMTP server dropping connections mid-send: no email lost', async () => {
  await queueIngest(rig);
  await settle(rig, 60_000);
  const { editionId, config } = await approvedEdition(rig, SUBSCRIBERS);

  rig.sink!.dropAfterData = (message) => message % 10 === 3;
  await startSending(rig.db, config, rig.jobs, editionId, 'editor-a');
  const status = await sentWithin(rig, editionId, 150_000);
  const counts = await emailCounts(rig, editionId, SUBSCRIBERS);
  report('SMTP server dropping connections mid-send', { jobsLost: counts.failedSendJobs.length, storiesDuplicated: null, emailsLost: counts.emailsLost },
    `${rig.sink!.dropped} connections dropped after DATA; received ${counts.received}, duplicates ${counts.duplicates}; Deliveries ${JSON.stringify(counts.deliveries)}, Edition ${status}`);
  expect(rig.sink!.dropped).toBeGreaterThan(10);
  expect(counts.failedSendJobs).toEqual([]);
  expect(status).toBe('sent');
  expect(counts).toMatchObject({ emailsLost: 0, oneMessageIdEach: true, deliveries: { sent: SUBSCRIBERS } });
}, 240_000);
