import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../../src/dedupe/encoding.js';

import { mojibake as misread } from '../../fixtures/dedupe/adversarial.js';

describe('repairMojibake', () => {
  it('reads UTF-8 mis-read as Windows-1252 back, in any script, once or twice mis-read', () => {
    for (const text of ['Moon’s “plan” – done…', 'Elf Nordkoreaner, die in Südkorea Überläufer genannt werden', 'Hà Nội: Theo bản tin của báo', 'Crème brûlée à la carte']) {
      expect(repairMojibake(misread(text))).toBe(text);
      expect(repairMojibake(misread(misread(text)))).toBe(text);
    }
  });

  it('leaves correct text alone, accents and all', () => {
    for (const text of ['São Paulo, ÃGUA, naïve café, 5 £ à la carte', 'plain ASCII text', '北朝鮮 탈북민 Việt Nam']) expect(repairMojibake(text)).toBe(text);
  });

  it('reads the Windows-1252 punctuation a mis-read page shows (`â€™` is ’)', () => {
    expect(misread('Moon’s')).toBe('Moonâ€™s');
    expect(repairMojibake('Moonâ€™s â€œplanâ€\u009d')).toBe('Moon’s “plan”');
  });

  it('never glues two words when the no-break space of `à` became a plain space', () => {
    expect(repairMojibake('HÃ Ná»\u0099i')).toBe('Hà Nội');
  });
});
