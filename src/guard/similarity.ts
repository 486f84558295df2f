/**
 * Cheap near-duplicate detection for short chat messages: a bottom-k sketch of hashed
 * character 3-grams. The sketch has at most `SKETCH_SIZE` numbers per message, so the
 * memory per sender stays bounded whatever the message length.
 */

const SHINGLE_LENGTH = 3;
const SKETCH_SIZE = 64;

/** FNV-1a over UTF-16 code units; 32-bit, good enough to spread 3-grams. */
function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Compute the `SKETCH_SIZE` smallest 3-gram hashes of `text`, sorted ascending. */
export function sketchOf(text: string): number[] {
  const hashes = new Set<number>();
  if (text.length <= SHINGLE_LENGTH) {
    hashes.add(hashString(text));
  } else {
    for (let i = 0; i + SHINGLE_LENGTH <= text.length; i += 1) {
      hashes.add(hashString(text.slice(i, i + SHINGLE_LENGTH)));
    }
  }
  return [...hashes].sort((a, b) => a - b).slice(0, SKETCH_SIZE);
}

/**
 * Estimate the Jaccard similarity of the 3-gram sets behind two sketches. The estimate is
 * exact when both texts have fewer than `SKETCH_SIZE` distinct 3-grams.
 */
export function estimateJaccard(a: number[], b: number[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const inA = new Set(a);
  const inB = new Set(b);
  // The smallest k hashes of the union are a uniform sample of the union; the share of
  // them found in both sketches estimates |A ∩ B| / |A ∪ B|.
  const union = [...new Set([...a, ...b])].sort((x, y) => x - y).slice(0, SKETCH_SIZE);
  let shared = 0;
  for (const hash of union) {
    if (inA.has(hash) && inB.has(hash)) shared += 1;
  }
  return shared / union.length;
}
