/**
 * What parsing a feed document gives, whatever its format (RSS 0.9x/1.0/2.0,
 * Atom 0.3/1.0, JSON Feed 1.0/1.1): the shapes parse*.ts produce and
 * normalize.ts turns into Items.
 */

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

export interface ParsedFeed {
  format: FeedFormat;
  /** Plain text, entities decoded; null when absent. */
  title: string | null;
  /** The site's address (absolute), null when absent. */
  link: string | null;
  /** HTML (not yet sanitised): RSS `<description>`, Atom `<subtitle>`, JSON Feed `description`. */
  description: string | null;
  language: string | null;
  /** RSS `<ttl>` in minutes: how long the publisher asks readers to wait between fetches. */
  ttlMinutes: number | null;
  entries: ParsedEntry[];
  /** Every link of the feed element (Atom `<link>`s, RSS `<link>` and `atom:link`), resolved. */
  links?: ParsedLink[];
  /** The character encoding the body was read in (`utf-8`, `windows-1252`...). */
  encoding?: string;
  /** Text lost in decoding (invalid bytes replaced as declared): recorded on the Source, unlike `warnings`. */
  encodingProblem?: string;
  /**
   * What was wrong but repaired (ill-formed XML, a wrong encoding declaration, a
   * cut-off last entry left out): the document parsed, but the Source may deserve a look.
   */
  warnings?: string[];
}

export interface ParsedEntry {
  /**
   * The entry's own id (RSS guid, Atom id, JSON Feed id), made unique within the
   * document: a duplicate gets a stable suffix derived from the entry's content.
   */
  guid: string | null;
  /**
   * Plain text, read by the title's type (Atom text/html/xhtml; RSS by
   * feedparser's guess): every character is meant, so `Vector<T>` is a title.
   */
  title: string | null;
  /** Absolute address of the entry's page (resolved against xml:base / the feed address). */
  link: string | null;
  /** Display names, e.g. `Jane Doe (jane@example.org)` per feedparser's convention, or `Jane Doe`. */
  author: string | null;
  categories: string[];
  /** HTML (not yet sanitised) or null. */
  summary: string | null;
  /** Full content as HTML (not yet sanitised): content:encoded over description, Atom content over summary. */
  content: string | null;
  /** Unknown stays null: never "now". */
  published: Date | null;
  updated: Date | null;
  /** The date texts as the Source wrote them (before parsing), for diagnosing a null date. */
  publishedText?: string | null;
  updatedText?: string | null;
  /** Every author with what the feed says about them; `author` above is their display form. */
  authors?: ParsedPerson[];
  /** Every link of the entry (Atom `<link>`s; RSS `<link>`, `atom:link`, `feedburner:origLink`), resolved. */
  links?: ParsedLink[];
  /** Attached media: RSS `<enclosure>`, Atom `rel="enclosure"`, Media RSS `<media:content>`. */
  enclosures?: ParsedEnclosure[];
  /**
   * The absolute http(s) address relative URLs in `summary` and `content` resolve
   * against: xml:base in scope, else the entry's page, else the address the
   * document came from, else the feed's site; null when none is a web address.
   * Pass it to sanitizeHtml.
   */
  baseUrl?: string | null;
}

export interface ParsedPerson {
  name: string | null;
  email: string | null;
  /** Absolute address of the person's page. */
  url: string | null;
}

export interface ParsedLink {
  href: string;
  /** `alternate` when the feed gives none (RFC 4287 §4.2.7.2). */
  rel: string;
  type: string | null;
  title: string | null;
}

export interface ParsedEnclosure {
  url: string;
  type: string | null;
  /** Bytes, when the feed says (and the number is plausible). */
  length: number | null;
}
