/** Hand-written news articles for the dedupe tests, and the prints made from them. */
import { makePrint, type DedupePrint, type PrintSource } from '../../src/dedupe/print.js';
import { DEFAULT_DEDUPE } from '../../src/dedupe/rules.js';
import { contentHash } from '../../src/ingest/item.js';

export const ARRIVALS_TITLE = 'North Korean defector arrivals in South Korea climb to 196';
export const ARRIVALS = [
  'The number of North Korean defectors who reached South Korea last year rose to 196, nearly three times the 67 recorded in 2022, the Ministry of Unification said on Thursday. Officials attributed the rise to the gradual reopening of the border between North Korea and China after three years of pandemic restrictions.',
  'Most of the new arrivals were women, and many had lived in China for a decade or longer before making the journey south. Only a small number came directly from North Korea, a ministry spokesperson told reporters in Seoul.',
  '"The routes through China are more dangerous than ever, and the brokers now ask for far more money," said Kim Young-ho, who runs a shelter for newly arrived defectors in Incheon. He said the fee for a single escape had climbed above 20,000 dollars.',
  'Ten of the defectors were diplomats or their relatives, the largest number of elite defections in several years. Among them was a counsellor from the North Korean embassy in Cuba, who arrived with his family in November.',
  'Activists warn that the figures hide a darker picture. China forcibly returned about 600 North Koreans in October alone, according to rights groups, and those sent back face interrogation, labour camps or worse.',
  'The ministry said it would expand job training and housing support at the Hanawon resettlement centre this year.',
].join('\n\n');

export const REPATRIATION_TITLE = 'China sends hundreds of North Korean escapees back across the border';
export const REPATRIATION = [
  'Chinese authorities sent as many as 500 North Korean escapees back across the Tumen River border on Monday night, according to a Seoul-based rights group that monitors detention centres in Jilin province.',
  'The group, Transitional Justice Working Group, said buses carrying the detainees left holding facilities in Tumen, Hunchun and Changbai shortly after dark. Many of those on board were women who had been arrested during police sweeps over the past three years.',
  "South Korea's foreign minister raised the issue with his Chinese counterpart in a phone call on Tuesday, urging Beijing to treat the escapees as refugees rather than illegal migrants. China has long maintained that North Koreans who cross the border do so for economic reasons.",
  'Lee Hyun-seung, a former North Korean trade official who escaped in 2014, said relatives of people sent home are often punished as well. "Once they cross the bridge into Namyang there is nothing anyone can do for them," he said.',
  'The United Nations refugee agency said it had not been given access to the detainees and called on all states to respect the principle of non-refoulement.',
].join('\n\n');

export const SCHOOL_TITLE = 'At a Seoul school, young defectors learn to catch up';
export const SCHOOL = [
  'On a quiet street in southern Seoul, forty teenagers who escaped North Korea spend their mornings on algebra, English grammar and Korean history. Most of them missed years of schooling while hiding in China, and some arrived unable to read a bus timetable.',
  'The Yeomyung School was founded in 2004 by a group of churches and now relies on donations and a small grant from the city government. Its principal, Park Ji-won, said the school had a waiting list for the first time in its history.',
  '"Our students are not behind because they are slow, they are behind because they were surviving," Park said. She pointed to a former student who went on to study medicine at a university in Daegu.',
  'Teachers say the hardest lessons are not academic. Students struggle with the speed of life in the South, with slang borrowed from English, and with classmates who ask questions about their families.',
  'Graduates receive a diploma recognised by the education ministry, and about half go on to university or vocational college each year.',
].join('\n\n');

export const BOAT_TITLE = 'Two North Korean fishermen cross maritime border in small wooden boat';
export const BOAT = [
  'Two North Korean men crossed the maritime border in the Yellow Sea on a small wooden boat early on Sunday and told South Korean marines they wanted to defect, the Joint Chiefs of Staff said.',
  'The men were spotted by a surveillance camera on Gyodong Island at about 5 a.m. and were taken into custody without resistance. Military officials said the boat had no engine and the pair appeared to have rowed for several hours through heavy fog.',
  'Investigators from the National Intelligence Service will question the men about their route and their reasons for leaving, a process that usually takes several weeks. If they are found to be genuine defectors, they will be sent to the Hanawon resettlement centre.',
  'Sea crossings remain rare. Of the 196 defectors who arrived last year, fewer than ten came by boat, according to government figures.',
].join('\n\n');

/** The statement both UN reports below quote word for word. */
export const SHARED_QUOTE =
  'The international community must not look away while people who only wanted to survive are handed back to the state they fled';

export const UN_APPEAL_TITLE = 'UN rapporteur urges China to halt forced returns';
export const UN_APPEAL = [
  'The United Nations special rapporteur on human rights in North Korea called on China on Wednesday to stop sending escapees back, days after rights groups reported a mass deportation from Jilin province.',
  'Speaking at a news conference in Geneva, Elizabeth Salmón said she had received credible accounts of torture and sexual violence against women returned from China.',
  `"${SHARED_QUOTE}," she told reporters.`,
  "Beijing's foreign ministry rejected the criticism, saying the individuals had entered China illegally and that the matter was handled in accordance with domestic law.",
].join('\n\n');

export const UN_REBUFF_TITLE = 'China rejects UN call over deported North Koreans';
export const UN_REBUFF = [
  'China dismissed a demand from a senior UN official to end the repatriation of North Koreans, insisting that those detained near the border were economic migrants and not refugees.',
  'Elizabeth Salmón, who reports to the Human Rights Council on conditions in North Korea, made the appeal in Geneva after activists said hundreds had been put on buses to the border.',
  `In her remarks she said: "${SHARED_QUOTE}."`,
  'A spokesperson in Beijing said the cases were an internal matter and warned against what he called politicising humanitarian issues.',
].join('\n\n');

/** A weekly roundup that reuses two separate sentences of ARRIVALS inside its own paragraphs. */
export const ROUNDUP_TITLE = 'Week in review: diplomats, brokers and the China border';
export const ROUNDUP = [
  'It was a busy week for anyone who follows the lives of North Koreans abroad, with new government statistics, a diplomatic row in Geneva and fresh warnings from aid workers along the Yalu River.',
  'The annual figures drew the most attention. Most of the new arrivals were women, and many had lived in China for a decade or longer before making the journey south. Aid workers in Dandong say that pattern has held for years.',
  'Our correspondent spoke to three families in Yanji who have sheltered escapees in their basements. Each described a network of drivers, guides and safe houses that has grown more expensive as surveillance cameras spread across the province.',
  'The darker side of the story was never far away. China forcibly returned about 600 North Koreans in October alone, according to rights groups, and those sent back face interrogation, labour camps or worse. Diplomats in Seoul expect the issue to come up at the next round of talks.',
  'Next week we will look at the vocational schools that prepare new arrivals for work, and at the employers in Gyeonggi province who hire them.',
].join('\n\n');

export function paragraphs(text: string): string[] {
  return text.split('\n\n');
}

/** The first `count` paragraphs: a teaser or a blog excerpt. */
export function firstParagraphs(text: string, count: number): string {
  return paragraphs(text).slice(0, count).join('\n\n');
}

/** Paragraphs `start` to `end` (exclusive): a passage from the middle of an article. */
export function paragraphRange(text: string, start: number, end: number): string {
  return paragraphs(text).slice(start, end).join('\n\n');
}

export function replaceParagraph(text: string, index: number, replacement: string): string {
  return paragraphs(text).map((p, i) => (i === index ? replacement : p)).join('\n\n');
}

export function item(id: string, title: string, contentText: string, overrides: Partial<PrintSource> = {}): PrintSource {
  return { id, sourceId: 'test', title, contentText, contentHash: contentHash(contentText), url: null, publishedAt: null, archiveMonth: null, ...overrides };
}

export function printOf(id: string, title: string, contentText: string, overrides: Partial<PrintSource> = {}): DedupePrint {
  return makePrint(item(id, title, contentText, overrides), DEFAULT_DEDUPE);
}

/** A deterministic pseudo-random generator, for property-style loops. */
export { random as seeded } from './news-generator.js';

/** `count` words drawn from the fixture articles' vocabulary. */
export function randomWords(random: () => number, count: number): string[] {
  const vocabulary = [...new Set([ARRIVALS, REPATRIATION, SCHOOL, BOAT].join(' ').toLowerCase().match(/[a-z]+/g) ?? [])];
  return Array.from({ length: count }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);
}
