/** A unified diff of two texts by lines, for `dbellc fmt --check`: common ends trimmed, the middle by LCS. */

const CONTEXT = 3;
/** Beyond this many changed lines on each side, the middle is shown as removed and added whole (LCS is quadratic). */
const MAX_LCS = 2000;

type Op = readonly [" " | "-" | "+", string];

export function unifiedDiff(before: string, after: string, name: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffOps(a, b);
  const out = [`--- ${name}`, `+++ ${name} (formatted)`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]![0] === " ") {
      i++;
      continue;
    }
    // A hunk runs from CONTEXT lines before a change to CONTEXT lines after the last change that is close enough.
    let end = i;
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]![0] !== " ") next++;
      let gap = next;
      while (gap < ops.length && ops[gap]![0] === " ") gap++;
      end = next;
      if (gap >= ops.length || gap - next > 2 * CONTEXT) break;
      end = gap;
    }
    const from = Math.max(0, i - CONTEXT);
    const to = Math.min(ops.length, end + CONTEXT);
    const hunk = ops.slice(from, to);
    const startA = ops.slice(0, from).filter((o) => o[0] !== "+").length + 1;
    const startB = ops.slice(0, from).filter((o) => o[0] !== "-").length + 1;
    out.push(`@@ -${startA},${hunk.filter((o) => o[0] !== "+").length} +${startB},${hunk.filter((o) => o[0] !== "-").length} @@`);
    for (const [k, line] of hunk) out.push(k + line);
    i = to;
  }
  return out.join("\n") + "\n";
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const ops: Op[] = a.slice(0, pre).map((l) => [" ", l] as const);
  if (midA.length > MAX_LCS || midB.length > MAX_LCS) {
    for (const l of midA) ops.push(["-", l]);
    for (const l of midB) ops.push(["+", l]);
  } else ops.push(...lcsOps(midA, midB));
  for (const l of a.slice(a.length - suf)) ops.push([" ", l]);
  return ops;
}

function lcsOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the LCS of a[i..] and b[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push([" ", a[i]!]);
      i++;
      j++;
    } else if (i < n && (j === m || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) ops.push(["-", a[i++]!]);
    else ops.push(["+", b[j++]!]);
  }
  return ops;
}
