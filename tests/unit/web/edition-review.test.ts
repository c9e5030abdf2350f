/**
 * The review page and the confirmation before a send, rendered from data:
 * what Sources and editors wrote is escaped (titles, Outlets, Topic labels,
 * summaries, subjects), and a send time is read in the editors' zone, refused
 * when it is no time or has passed.
 */
import { describe, expect, it } from 'vitest';
import { sendPlan } from '../../../src/web/editor/edition-send.js';
import { renderTemplate } from '../../../src/web/editor/views.js';
import { storedEdition } from '../../helpers/editions.js';

const SCRIPT = '<script>alert(1)</script>';
const QUOTE_BREAK = '"><svg onload=alert(3)>';
const editor = { id: 'h', editorId: 1, email: 'eve@example.org', name: 'Eve', csrfToken: 't', flash: null, expiresAt: new Date() };

const entry = {
  storyId: 'st_1',
  title: `Title ${SCRIPT}`,
  url: 'javascript:alert(4)',
  outlet: `Outlet ${QUOTE_BREAK}`,
  published: null,
  summary: `Summary ${SCRIPT}`,
  reportedBy: [],
  repostedBy: [],
  pinned: false,
  section: 'escape',
  sectionLabel: `Section ${SCRIPT}`,
};
const edition = storedEdition([entry], { subject: `Subject ${SCRIPT}`, intro: `Intro ${QUOTE_BREAK}` });

/** No markup from the data: no script or svg element, no event handler, no javascript: link. */
function expectEscaped(html: string): void {
  expect(html).not.toContain(SCRIPT);
  expect(html).not.toContain('<svg');
  expect(html).not.toMatch(/href="javascript:/i);
  expect(html).toContain('&lt;script&gt;');
}

describe('the Edition review page', () => {
  it('escapes titles, Outlets, sections, Topics, summaries and the subject, and loads its script from a file', () => {
    const html = renderTemplate(
      'edition',
      {
        title: 'Edition',
        nav: 'editions',
        edition,
        entries: [{ ...entry, topics: [`Topic ${SCRIPT}`], firstInSection: true, lastInSection: true, inSection: 1 }],
        editable: true,
        open: 'st_1',
        canApprove: true,
        canDiscard: true,
        sending: { status: 'draft', pausedAt: null, sendAt: null },
        sections: [{ slug: 'escape', label: `Section ${SCRIPT}` }],
        search: QUOTE_BREAK,
        toAdd: [],
        events: [{ at: new Date(), editor: `Ed ${SCRIPT}`, text: `subject: "${SCRIPT}"` }],
        deliveries: undefined,
        undelivered: [],
        editor,
        csrf: 'c',
        flash: null,
        dashboard: false,
      },
      'Asia/Seoul',
    );
    expectEscaped(html);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).toContain('<script src="/assets/edition.js" defer></script>');
    // The Story just changed (no script: the page is reloaded) shows its editing block open.
    expect(html).toMatch(/<details class="story-row" id="row-st_1" open>/);
  });

  it('names the zone the "send at" field means', () => {
    const html = renderTemplate(
      'edition',
      {
        title: 'Edition',
        edition: { ...edition, status: 'approved' },
        entries: [],
        editable: true,
        open: '',
        canApprove: false,
        canDiscard: true,
        sending: { status: 'approved', pausedAt: null, sendAt: null },
        sections: [],
        search: '',
        toAdd: [],
        events: [],
        undelivered: [],
        editor,
        csrf: 'c',
        flash: null,
        dashboard: false,
      },
      'Asia/Seoul',
    );
    expect(html).toContain('<label for="send-at">or send at (Asia/Seoul time)</label>');
    expect(html).not.toContain('/approve"');
  });

  it('escapes the confirmation before a send: subject, Topic labels, subjects per preference set', () => {
    const html = renderTemplate(
      'edition-send',
      {
        title: 'Send?',
        edition: { ...edition, status: 'approved' },
        plan: { when: 'at', at: '2026-12-07T08:00', sendAt: new Date('2026-12-06T23:00:00Z') },
        subject: `Subject ${SCRIPT}`,
        problem: null,
        smtp: true,
        audience: {
          total: 5,
          allTopics: 3,
          chosenTopics: 2,
          nothing: 0,
          groups: [{ topics: [`Topic ${SCRIPT}`], subscribers: 2, stories: 1, subject: `Theirs ${QUOTE_BREAK}` }],
          more: { sets: 0, subscribers: 0 },
        },
        editor,
        csrf: 'c',
        flash: null,
        dashboard: false,
      },
      'Asia/Seoul',
    );
    expectEscaped(html);
    expect(html).toContain('It goes to <strong>5 Subscribers</strong>: 3 all Topics, 2 chosen Topics.');
    expect(html).toContain('Mon 7 Dec 2026 08:00 GMT+9 (Asia/Seoul)');
  });
});

describe('a send time from the form', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it('is now, or a local date and time in the editors’ zone', () => {
    expect(sendPlan({ when: 'now' }, 'W', 'Asia/Seoul', now)).toEqual({ when: 'now', at: '', sendAt: now });
    expect(sendPlan({ when: 'at', at: '2026-12-07T08:00' }, 'W', 'Asia/Seoul', now).sendAt.toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(sendPlan({ when: 'at', at: '2026-12-07T08:00' }, 'W', 'Europe/London', now).sendAt.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('is refused, naming the field and the zone, when it is no time, missing or past', () => {
    expect(() => sendPlan({ when: 'at', at: 'tuesday' }, 'W', 'Asia/Seoul', now)).toThrow('edition W: send at: "tuesday" is not a date and time (Asia/Seoul time, e.g. 2026-12-07T08:00)');
    expect(() => sendPlan({ when: 'at', at: '' }, 'W', 'Asia/Seoul', now)).toThrow('edition W: send at: give a date and time (Asia/Seoul time)');
    expect(() => sendPlan({ when: 'at', at: '2026-12-06T20:00' }, 'W', 'Asia/Seoul', now)).toThrow('edition W: send at: 2026-12-06T20:00 (Asia/Seoul time) has passed');
    expect(() => sendPlan({ when: 'later' }, 'W', 'Asia/Seoul', now)).toThrow('edition W: send: "when" must be now or at, not "later"');
  });
});
