/**
 * Provenance inside a Story: which member represents it, and what every other
 * member is to it.
 *
 * The representative is the Outlet's original when the Story holds one (an
 * Item read from an Outlet's feed, the credited Outlet's own first), else the
 * fullest text. Roles, relative to the representative:
 * - original: the Outlet's own article, or a post the organisation wrote itself;
 * - excerpt: a shorter part of it (the blog's `[NK News]` repost, a teaser);
 * - copy: the same text again from the same Outlet (another address, another template);
 * - syndicated: the same text from another Outlet (wire copies, scrapes, spun copies);
 * - repost: the organisation's blog carrying the same post again.
 */
import { overlap } from './containment.js';
import type { DedupePrint } from './print.js';

export type StoryRole = 'original' | 'excerpt' | 'copy' | 'syndicated' | 'repost';

export interface StoryMember {
  itemId: string;
  /** Read from an Outlet's feed; false for the organisation's own archive, blog feed or export. */
  fromOutlet: boolean;
  outlets: string[];
  /** The `[Outlet]` credit line of a blog post, when it has one. */
  attribution: string | null;
  publishedAt: Date | null;
  firstSeenAt: Date;
  print: DedupePrint;
}

export interface StoryProvenance {
  representativeId: string;
  roles: Map<string, StoryRole>;
}

/** Near-exact copies have at least this resemblance; a member under this share of the representative's words is an excerpt. */
const COPY_RESEMBLANCE = 0.8;
const EXCERPT_SHARE = 0.6;

function credited(members: StoryMember[]): Set<string> {
  return new Set(members.filter((m) => !m.fromOutlet).flatMap((m) => m.outlets.map((o) => o.toLowerCase())));
}

function compareBy<T>(...keys: ((x: T) => number | string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

export function chooseRepresentative(members: StoryMember[]): StoryMember {
  const outletItems = members.filter((m) => m.fromOutlet);
  const names = credited(members);
  const time = (date: Date | null) => (date ? date.getTime() : Number.MAX_SAFE_INTEGER);
  const ranked = outletItems.length > 0
    ? [...outletItems].sort(
        compareBy(
          (m) => (m.outlets.some((o) => names.has(o.toLowerCase())) ? 0 : 1),
          (m) => time(m.publishedAt),
          (m) => -m.print.wordCount,
          (m) => m.firstSeenAt.getTime(),
          (m) => m.itemId,
        ),
      )
    : [...members].sort(compareBy((m) => -m.print.wordCount, (m) => m.firstSeenAt.getTime(), (m) => m.itemId));
  return ranked[0]!;
}

function sameOutlet(a: StoryMember, b: StoryMember): boolean {
  const names = new Set(a.outlets.map((o) => o.toLowerCase()));
  return b.outlets.some((o) => names.has(o.toLowerCase()));
}

function roleOf(member: StoryMember, representative: StoryMember): StoryRole {
  if (member.itemId === representative.itemId) {
    return member.fromOutlet || member.attribution === null ? 'original' : 'excerpt';
  }
  const same = member.print.contentHash === representative.print.contentHash || overlap(member.print, representative.print).resemblance >= COPY_RESEMBLANCE;
  if (!member.fromOutlet) return same ? 'repost' : 'excerpt';
  if (!same && member.print.wordCount < EXCERPT_SHARE * representative.print.wordCount) return 'excerpt';
  return sameOutlet(member, representative) ? 'copy' : 'syndicated';
}

export function storyProvenance(members: StoryMember[]): StoryProvenance {
  const representative = chooseRepresentative(members);
  return {
    representativeId: representative.itemId,
    roles: new Map(members.map((member) => [member.itemId, roleOf(member, representative)])),
  };
}
