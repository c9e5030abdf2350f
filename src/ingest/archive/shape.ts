/**
 * What a line of text is by its shape: a title or subheading (short, one
 * phrase), running text (ends like a sentence, or too long for a title), or a
 * line that closes a post (`Read the full story here.`, a sign-off).
 */
import type { PageLine } from './lines.js';
import { endsSentence, wordCount } from './text.js';

/** Longer than any title: prose even without a full stop (a paragraph cut by the end of the text). */
const PROSE_WORDS = 25;
const CLOSING = /["”’'»)\]]+$/;
/** `Mrs. Kim`, `Gen. Lee`: a full stop that does not end a sentence. */
const ABBREVIATION = /\b(?:mrs|mr|ms|dr|gen|col|lt|capt|sgt|rev|gov|sen|rep|jr|sr|st|vs|no|vol|inc|ltd|co|corp|dept|univ|prof)\.$/i;

function hasSentenceBreak(text: string): boolean {
  const pattern = /([\p{L}\d]+)[.!?]["”’]?\s+["“]?\p{Lu}/gu;
  for (const match of text.matchAll(pattern)) {
    const word = match[1] ?? '';
    if (word.length > 1 && !ABBREVIATION.test(`${word}.`) && !/^\p{Lu}$/u.test(word)) return true;
  }
  return false;
}

/**
 * Could be a title or a subheading: short, one phrase, not ending like a
 * sentence or a clause (`?` and `!` are fine: `Who is Kim Yo Jong?`).
 */
export function isTitleLike(line: PageLine): boolean {
  if (line.role !== 'text' || line.cut) return false;
  const text = line.text;
  const words = wordCount(text);
  if (words === 0 || words >= PROSE_WORDS || text.length > 200) return false;
  if (!/^[\p{Lu}\d"“‘'¡¿]/u.test(text)) return false;
  const end = text.replace(CLOSING, '');
  if (/[.,;:…]$/.test(end)) return false;
  if (/^[-–—•*]/.test(text) || /https?:\/\//.test(text)) return false;
  return !hasSentenceBreak(text);
}

/**
 * Running text (a paragraph of the post) as opposed to a heading, caption or
 * link: ends like a sentence or a clause, holds two sentences, or is too long
 * for a title.
 */
export function isRunningText(line: PageLine): boolean {
  if (line.role !== 'text') return false;
  if (line.cut) return true;
  const end = line.text.replace(CLOSING, '');
  // A line ending in `?` or `!` may be a title (`Who is Kim Yo Jong?`): only its length tells.
  if (/[.:;…]$/.test(end)) return true;
  return wordCount(line.text) >= PROSE_WORDS || hasSentenceBreak(line.text);
}

// ------------------------------------------------------------- post endings

const CALL_TO_ACTION_START = /^(?:read|see|watch|listen|learn|find out|click|download|view|visit|check out|follow|sign up|subscribe|donate)\b/i;
const CALL_TO_ACTION_WORDS = /\b(?:here|article|story|report|link|below|full|website|interview|video)\b/i;
/** `You can download the guide here.`: a sentence that is a link. */
const HERE_LINK =
  /^["“]?(?:(?:you can|please|to)\s+)?(?:click|read|download|find|see|watch|learn|visit|sign up|register|donate|listen|view|check out)\b[^.!?]*\bhere\b/i;
const ENDS_WITH_URL = /(?:https?:\/\/|www\.)\S+$/i;
const THANKS = /\bthank(?:s| you)\b[^.!?]*[.!]["”’]?$/i;
/** `We thank God for all the memories ...`: the closing paragraph of an organisation's post. */
const CLOSING_THANKS = /^(?:we|i)\s+(?:would like to |want to |also )?thank\b/i;

/**
 * A line that closes a post: a pointer to the full story (`Read the full story
 * here.`, `Learn more about ... in this article.`), a link, a thank-you or a
 * `*This post was written by ...` sign-off. Such a line is followed by the next
 * post, never by more of the same post, in both blogs.
 */
export function isPostEnding(line: PageLine): boolean {
  const text = line.text;
  if (line.role === 'bracketed' || line.role === 'readMore' || line.role === 'footer' || line.role === 'comments') {
    return true;
  }
  if (line.role === 'byline') return /^\*/.test(text) || /\bthis (?:post|article|story|piece)\b/i.test(text);
  if (line.role !== 'text') return false;
  if (ENDS_WITH_URL.test(text)) return true;
  // A title may start the same way (`Watch: a defector's interview`); a link line
  // ends like a sentence, says `here`, or is the cut-off last line.
  const linkShaped = endsSentence(text) || /\bhere\b/i.test(text) || line.cut;
  if (linkShaped && CALL_TO_ACTION_START.test(text) && CALL_TO_ACTION_WORDS.test(text) && wordCount(text) <= 25) return true;
  if (linkShaped && /^(?:read|learn|see|find out|discover) more\b/i.test(text)) return true;
  if (CLOSING_THANKS.test(text) || THANKS.test(text)) return true;
  return lastSentences(text).some((sentence) => HERE_LINK.test(sentence));
}

/** `See how you can help`, `Donate today`: starts like a call to action (a banner, or a link line closing a post). */
export function isCallToAction(text: string): boolean {
  return CALL_TO_ACTION_START.test(text);
}

/** The last three sentences of a paragraph, where a closing call to action sits. */
function lastSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).slice(-3);
}
