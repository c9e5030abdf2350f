/**
 * Shingles: every run of `size` consecutive words, hashed to a 32-bit integer
 * (stored as PostgreSQL `integer`). Two texts that share a passage share its
 * shingles, whatever surrounds it. At 32 bits a chance collision between two
 * 300-word texts is about 2 in 100,000 shingles: far below any threshold.
 *
 * Fingerprints are the few shingles a text is indexed by (winnowing, Schleimer,
 * Wilkerson and Aiken, SIGMOD 2003): the smallest hash in every window of
 * `window` consecutive shingles. Any passage of at least `window + size - 1`
 * words that two texts share gives them a common fingerprint, so a lookup by
 * fingerprints finds every text sharing such a passage, with about
 * 2 / (window + 1) of the shingles in the index.
 */

/** FNV-1a over the UTF-16 code units of a word. */
export function wordHash(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i += 1) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads the bits so that winnowing's minimum is not biased. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * The shingle hashes of `words`, in text order (signed 32-bit). A text shorter
 * than `size` words has one shingle: all of it.
 */
export function shingleHashes(words: readonly string[], size: number): Int32Array {
  return shinglesOf(wordHashes(words), size);
}

/** Each word's hash (FNV-1a): made once per text, for its shingles and its skeleton's (rewrite.ts). */
export function wordHashes(words: readonly string[]): Uint32Array {
  const hashes = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i += 1) hashes[i] = wordHash(words[i]!);
  return hashes;
}

/** The shingle hashes of a run of word hashes (see shingleHashes). */
export function shinglesOf(hashes: ArrayLike<number>, size: number): Int32Array {
  if (hashes.length === 0) return new Int32Array(0);
  const count = Math.max(1, hashes.length - size + 1);
  const out = new Int32Array(count);
  for (let start = 0; start < count; start += 1) {
    let h = 0x9747b28c;
    const end = Math.min(start + size, hashes.length);
    for (let i = start; i < end; i += 1) h = Math.imul(h ^ hashes[i]!, 0x5bd1e995) ^ (h >>> 15);
    out[start] = mix(h);
  }
  return out;
}

/**
 * Winnowing: the minimum of each window of `window` shingles (the rightmost on
 * ties, so a run of equal minima is taken once), as a sorted set.
 */
export function winnow(shingles: Int32Array, window: number): number[] {
  const picked = new Set<number>();
  if (shingles.length <= window) {
    if (shingles.length > 0) picked.add(Math.min(...shingles));
    return [...picked];
  }
  let minAt = -1;
  for (let end = window - 1; end < shingles.length; end += 1) {
    const start = end - window + 1;
    if (minAt < start) {
      minAt = start;
      for (let i = start + 1; i <= end; i += 1) if (shingles[i]! <= shingles[minAt]!) minAt = i;
    } else if (shingles[end]! <= shingles[minAt]!) {
      minAt = end;
    }
    picked.add(shingles[minAt]!);
  }
  return [...picked].sort((a, b) => a - b);
}
