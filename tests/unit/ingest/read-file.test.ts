import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/ingest/item.js';
import { attributeArchiveItem } from '../../../src/ingest/read-file.js';
import { makeItem } from '../../helpers/items.js';

describe('attributeArchiveItem (the blog feed credits the Outlet on its last line)', () => {
  it('reads the credit line, applies config aliases, and takes the line out of the text', () => {
    const item = makeItem({
      key: 'blog-post',
      contentHtml: '<p>Officials met at Panmunjom.</p><p>[VoA/South China Morning Post]</p>',
      contentText: 'Officials met at Panmunjom.\n\n[VoA/South China Morning Post]',
      outlets: ['Family Care Foundation blog'],
    });
    const attributed = attributeArchiveItem(item, { VoA: 'Voice of America' });
    expect(attributed.attribution).toBe('VoA/South China Morning Post');
    expect(attributed.outlets).toEqual(['Voice of America', 'South China Morning Post']);
    expect(attributed.contentHtml).toBe('<p>Officials met at Panmunjom.</p>');
    // The same post read from an archive page (credit line apart) hashes alike.
    expect(attributed.contentHash).toBe(contentHash('Officials met at Panmunjom.'));
  });

  it('leaves a post without a credit line with no Outlet rather than the feed title', () => {
    const item = makeItem({ key: 'own-post', contentHtml: '<p>Our own news.</p>', contentText: 'Our own news.', outlets: ['Blog'] });
    expect(attributeArchiveItem(item, {})).toMatchObject({ outlets: [], attribution: null, contentHtml: '<p>Our own news.</p>' });
  });
});
