/** An Edition's history as the review page lists it: one line per event, in words, times in the editors' zone (`time`). */
import type { Edition } from '../../digest/edition.js';

type Event = { at?: Date; action: string; detail: Record<string, unknown> };

const clip = (text: string, length = 80) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

export function describeEvent(event: Event, edition: Edition, time: (at: string) => string): string {
  const detail = event.detail;
  const story = (id: unknown) => {
    const entry = edition.entries.find((e) => e.storyId === id);
    return entry ? `"${clip(entry.title, 60)}"` : `Story ${String(id)}`;
  };
  const section = (value: unknown) => (value as { label?: string } | undefined)?.label ?? 'another section';
  const reopened = detail.reopened ? ' (back to draft)' : '';
  switch (event.action) {
    case 'composed':
    case 'recomposed':
      return detail.skipped ? `${event.action}: skipped (${String(detail.skipped)})` : `${event.action} with ${String(detail.stories)} Stories`;
    case 'subject':
      return `subject: "${clip(String(detail.subject ?? ''))}"${reopened}`;
    case 'intro':
      return `intro changed${reopened}`;
    case 'summary':
      return `summary of ${story(detail.storyId)} changed${reopened}`;
    case 'summaries':
      return `${String(detail.summaries)} summaries in the email${reopened}`;
    case 'order':
      return `order changed${reopened}`;
    case 'remove':
      return `removed ${story(detail.storyId)}${reopened}`;
    case 'add':
      return `added ${story(detail.storyId)} to ${section(detail.section)}${reopened}`;
    case 'move':
      return `moved ${story(detail.storyId)} to ${section(detail.section)}${reopened}`;
    case 'pin':
      return `${detail.pinned ? 'pinned' : 'unpinned'} ${story(detail.storyId)}${reopened}`;
    case 'scheduled':
      return `to be sent ${event.at !== undefined && Math.abs(Date.parse(String(detail.sendAt)) - event.at.getTime()) < 5_000 ? 'now' : `at ${time(String(detail.sendAt))}`}`;
    case 'cancelled':
      return detail.sendAt !== undefined
        ? `send at ${time(String(detail.sendAt))} cancelled (still approved)`
        : `sending cancelled: ${String(detail.deliveries)} Deliveries not made`;
    case 'test-send':
      return `test sent to ${((detail.to as string[] | undefined) ?? []).join(', ')}`;
    case 'sending':
      return `sending started: ${String(detail.deliveries)} Deliveries in ${String(detail.batches)} batches`;
    case 'paused':
      return 'sending paused';
    case 'resumed':
      return `sending resumed: ${String(detail.batches)} batches left`;
    case 'sent':
      return detail.sent === undefined
        ? 'sent'
        : `sent: ${String(detail.sent)} sent, ${String(detail.failed)} failed, ${String(detail.bounced)} bounced, ${String(detail.skipped)} skipped${detail.cancelled ? `, ${String(detail.cancelled)} cancelled` : ''}`;
    default:
      return detail.from ? `${event.action} (was ${String(detail.from)})` : event.action;
  }
}
