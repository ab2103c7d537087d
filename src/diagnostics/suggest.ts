/** "Did you mean" suggestions by edit distance. */

/** Rows reused by every call: suggestions for a file of thousands of typos then allocate nothing. */
let rows = new Uint32Array(64);

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps (`lable` → `label`).
 * Three rolling rows of one shared buffer.
 */
export function editDistance(a: string, b: string): number {
  const w = b.length + 1;
  if (rows.length < 3 * w) rows = new Uint32Array(3 * w);
  const r = rows;
  let prev2 = 0;
  let prev = w;
  let cur = 2 * w;
  for (let j = 0; j < w; j++) r[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    r[cur] = i;
    for (let j = 1; j < w; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(r[prev + j]! + 1, r[cur + j - 1]! + 1, r[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, r[prev2 + j - 2]! + 1);
      r[cur + j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return r[prev + w - 1]!;
}

/** Recent answers: a file that repeats one typo thousands of times asks the same question each time. */
const recent = new Map<string, string | undefined>();

/** The closest candidate within a distance that scales with the word's length, or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const key = list.length <= 64 ? `${word}\0${list.join("\0")}` : undefined;
  if (key !== undefined && recent.has(key)) return recent.get(key);
  const found = search(word, list);
  if (key !== undefined) {
    if (recent.size >= 1000) recent.clear();
    recent.set(key, found);
  }
  return found;
}

function search(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without computing it.
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
