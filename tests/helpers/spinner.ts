/**
 * A synonym spinner, as content farms run one: each word it knows is swapped
 * for a synonym with probability `rate` (deterministic for a seed). Names,
 * numbers and the small words between them are left alone, as real spinners
 * leave them; some swaps put two words for one.
 */
import { random } from './news-generator.js';

const SYNONYMS: Record<string, string[]> = {
  rescued: ['saved', 'pulled to safety'], rescue: ['recovery', 'saving'], small: ['little', 'modest'], wooden: ['timber'],
  boat: ['vessel', 'craft'], drifting: ['floating', 'adrift'], days: ['days and nights'], heavy: ['rough', 'severe'],
  seas: ['waters', 'swells'], officials: ['authorities', 'officers'], said: ['stated', 'reported'], group: ['party', 'band'],
  men: ['males'], women: ['females', 'ladies'], found: ['discovered', 'located'], weak: ['frail', 'feeble'],
  alive: ['living', 'breathing'], patrol: ['guard', 'watch'], ship: ['vessel', 'boat'], shortly: ['soon', 'briefly'],
  dawn: ['daybreak', 'sunrise'], according: ['as indicated'], engine: ['motor'], failed: ['broke down', 'quit'],
  soon: ['shortly', 'quickly'], left: ['departed', 'exited'], port: ['harbour', 'dock'], passengers: ['travellers', 'occupants'],
  survived: ['lived', 'endured'], dried: ['dehydrated', 'dry'], fishing: ['angling', 'fishery'], vessel: ['ship', 'craft'],
  first: ['initially', 'originally'], spotted: ['saw', 'noticed'], evening: ['night', 'dusk'], alerted: ['warned', 'notified'],
  authorities: ['officials', 'powers'], sent: ['dispatched', 'deployed'], search: ['scour', 'comb'], area: ['region', 'zone'],
  overnight: ['through the night', 'during the night'], led: ['headed', 'directed'], taking: ['shipping', 'letting in'],
  crew: ['team', 'staff'], reached: ['got to', 'arrived at'], night: ['evening'], waves: ['surf', 'breakers'],
  late: ['tardy'], told: ['informed', 'advised'], reporters: ['journalists', 'correspondents'], harbour: ['port', 'dock'],
  brought: ['carried', 'taken'], ashore: ['to shore', 'onto land'], wanted: ['wished', 'desired'], settle: ['live', 'reside'],
  questioned: ['interviewed', 'interrogated'], intelligence: ['security', 'spy'], officers: ['agents', 'staff'],
  centre: ['facility', 'center'], process: ['procedure', 'course'], usually: ['normally', 'typically'], takes: ['lasts', 'needs'],
  about: ['around', 'roughly'], months: ['months or so'], largest: ['biggest', 'greatest'], arrive: ['come', 'turn up'],
  carrying: ['bearing', 'conveying'], people: ['persons', 'individuals'], landed: ['arrived', 'came ashore'],
  coast: ['shore', 'seaboard'], crossings: ['passages', 'journeys'], remain: ['stay', 'continue to be'], rare: ['uncommon', 'unusual'],
  tightened: ['tautened', 'stiffened'], controls: ['checks', 'restrictions'], boats: ['vessels', 'craft'], watches: ['monitors', 'guards'],
  closely: ['carefully', 'tightly'], rights: ['freedoms'], groups: ['organisations', 'bodies'], welcomed: ['praised', 'hailed'],
  urged: ['pressed', 'pushed'], government: ['administration', 'state'], open: ['transparent', 'frank'], handles: ['treats', 'manages'],
  fishermen: ['anglers', 'fishers'], despite: ['in spite of', 'regardless of'], stay: ['remain'],
  bakery: ['bakeshop', 'bread shop'], founded: ['established', 'started'], opened: ['launched', 'unveiled'], second: ['next', 'another'],
  shop: ['store', 'outlet'], years: ['years on', 'seasons'], pair: ['duo', 'two'], started: ['began', 'launched'],
  selling: ['offering', 'vending'], bread: ['loaves'], rented: ['leased', 'hired'], kitchen: ['cookhouse', 'galley'],
  new: ['fresh', 'brand-new'], near: ['close to', 'by'], employs: ['hires', 'uses'], fled: ['escaped', 'ran from'],
  met: ['encountered', 'came across'], decided: ['chose', 'resolved'], business: ['trade', 'commerce'], together: ['jointly'],
  struggling: ['battling', 'straining'], work: ['jobs', 'employment'], borrowed: ['took out', 'lent'], money: ['cash', 'funds'],
  church: ['chapel', 'parish'], buy: ['purchase', 'acquire'], oven: ['stove', 'furnace'], sold: ['vended', 'traded'],
  weekend: ['end of the week'], markets: ['bazaars', 'fairs'], renting: ['leasing', 'hiring'], learned: ['discovered', 'figured out'],
  grandmother: ['granny', 'grandma'], best: ['top', 'finest'], seller: ['vendor', 'hit'], recipe: ['formula', 'method'],
  remembers: ['recalls', 'recollects'], childhood: ['youth', 'early years'], supplies: ['provides', 'furnishes'],
  cafes: ['coffee shops', 'cafés'], school: ['college', 'academy'], canteens: ['cafeterias', 'dining halls'], city: ['town', 'metropolis'],
  sales: ['deals', 'turnover'], owners: ['proprietors', 'holders'], train: ['coach', 'teach'], help: ['aid', 'assist'],
  settled: ['resided', 'lived'], hard: ['difficult', 'tough'], steady: ['stable', 'regular'], jobs: ['positions', 'posts'],
  figures: ['numbers', 'statistics'], show: ['reveal', 'indicate'], unemployment: ['joblessness'], rate: ['level', 'ratio'],
  roughly: ['approximately', 'about'], twice: ['double', 'two times'], national: ['countrywide', 'nationwide'], average: ['norm', 'mean'],
};

/** The text with about `rate` of the words the spinner knows swapped for a synonym (capitalised where the word was). */
export function spin(text: string, rate: number, seed: number): string {
  const next = random(seed, 0x5917);
  return text.replace(/[A-Za-z]+/g, (word, offset: number) => {
    const options = SYNONYMS[word.toLowerCase()];
    // Inside quotation marks a spinner still swaps words; it only never touches names (capitalised mid-sentence).
    const midSentence = offset > 0 && !/[.!?"]\s*$/.test(text.slice(Math.max(0, offset - 3), offset));
    if (!options || (midSentence && /^[A-Z]/.test(word)) || next() >= rate) return word;
    const swap = options[Math.floor(next() * options.length)]!;
    return /^[A-Z]/.test(word) ? swap.charAt(0).toUpperCase() + swap.slice(1) : swap;
  });
}

/** How many of the text's words the spinner knows: a spin rate is a share of these. */
export function spinnable(text: string): number {
  return (text.match(/[A-Za-z]+/g) ?? []).filter((word) => SYNONYMS[word.toLowerCase()] !== undefined).length;
}
