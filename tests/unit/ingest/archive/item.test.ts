import { describe, expect, it } from 'vitest';
import { archivePageToItems, archivePostKey } from '../../../../src/ingest/archive/item.js';
import { parseArchivePage } from '../../../../src/ingest/archive/parse.js';
import { itemId } from '../../../../src/ingest/item.js';

const posts = `Kim Jong Un&#8217;s <em>sister</em> &amp; the <b>elite</b>

Posted on by

Both the mother and brother of North Korean activist Hyeonseo Lee have had trouble adjusting to modern life in neighboring South Korea, she said on Monday.

[Vice News]

A &lt;b&gt; tag is not news & 5 < 6

Posted on by

Former North Korean refugees are scattered throughout the US in more than three dozen cities, from Los Angeles and Chicago to smaller towns.
`;

const itemsOf = (text: string) => {
  const page = parseArchivePage(text, { name: 'page.txt' });
  return { page, items: archivePageToItems(page, 'archive', 'page.txt').items };
};

describe('archivePageToItems', () => {
  it('makes titles plain text: markup a dump kept is dropped, entities decoded, a literal `<` kept', () => {
    const { items } = itemsOf(`Monthly Archives: April 2016\n\n${posts}`);
    expect(items.map((item) => item.title)).toEqual(['Kim Jong Un’s sister & the elite', 'A <b> tag is not news & 5 < 6']);
  });

  it('keeps ids as they were: the key is the title line as printed', () => {
    const { page, items } = itemsOf(`Monthly Archives: April 2016\n\n${posts}`);
    expect(items.map((item) => item.id)).toEqual(page.posts.map((post) => itemId('archive', archivePostKey(post))));
    expect(items[0]!.key.split('\n')[0]).toBe('kim jong un&#8217;s <em>sister</em> &amp; the <b>elite</b>');
  });

  it('dates a post by its monthly page, to the month, and a post on any other page not at all', () => {
    const monthly = itemsOf(`Monthly Archives: April 2016\n\n${posts}`).items;
    expect(monthly.map((item) => [item.publishedAt, item.archiveMonth])).toEqual([
      [null, '2016-04'],
      [null, '2016-04'],
    ]);
    const category = itemsOf(`Category Archives: North Korean refugee\n\n${posts}`).items;
    expect(category.map((item) => [item.publishedAt, item.archiveMonth])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});
