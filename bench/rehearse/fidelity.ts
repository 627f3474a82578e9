/**
 * The two fairness figures of the waiting room (issue 4), as pure arithmetic:
 * - order fidelity: among admitted people of the same lane whose arrivals fall in different
 *   100 ms buckets, the share of pairs let in in arrival order (ties in admission count as in
 *   order); computed by counting inversions with a merge sort, O(n log n);
 * - honest wait: the share of actual waits inside the range shown when the person first saw the
 *   waiting page.
 */

export interface Admitted {
  lane: string;
  arrivalMs: number;
  admittedMs: number;
}

export interface OrderFidelity {
  /** Pairs compared (different arrival buckets, same lane). */
  pairs: number;
  /** Pairs admitted out of arrival order. */
  inversions: number;
  /** 1 − inversions ÷ pairs; null with no pair. */
  share: number | null;
}

/** Counts pairs i < j with a[i] > a[j] (strictly), sorting `a` in place. */
export function countInversions(a: number[]): number {
  const tmp = new Array<number>(a.length);
  const sort = (lo: number, hi: number): number => {
    if (hi - lo < 2) return 0;
    const mid = (lo + hi) >> 1;
    let count = sort(lo, mid) + sort(mid, hi);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) {
      if (a[i]! <= a[j]!) tmp[k++] = a[i++]!;
      else {
        count += mid - i;
        tmp[k++] = a[j++]!;
      }
    }
    while (i < mid) tmp[k++] = a[i++]!;
    while (j < hi) tmp[k++] = a[j++]!;
    for (let x = lo; x < hi; x++) a[x] = tmp[x]!;
    return count;
  };
  return sort(0, a.length);
}

export function orderFidelity(people: readonly Admitted[], resolutionMs = 100): OrderFidelity {
  let pairs = 0;
  let inversions = 0;
  const lanes = new Map<string, Admitted[]>();
  for (const p of people) {
    const group = lanes.get(p.lane);
    if (group) group.push(p);
    else lanes.set(p.lane, [p]);
  }
  for (const group of lanes.values()) {
    const keyed = group.map((p) => ({ bucket: Math.floor(p.arrivalMs / resolutionMs), admitted: p.admittedMs }));
    // Within a bucket, sorted by admission: no inversion is counted there (order is promised at 100 ms).
    keyed.sort((x, y) => x.bucket - y.bucket || x.admitted - y.admitted);
    const n = keyed.length;
    const sameBucket = new Map<number, number>();
    for (const k of keyed) sameBucket.set(k.bucket, (sameBucket.get(k.bucket) ?? 0) + 1);
    let same = 0;
    for (const c of sameBucket.values()) same += (c * (c - 1)) / 2;
    pairs += (n * (n - 1)) / 2 - same;
    inversions += countInversions(keyed.map((k) => k.admitted));
  }
  return { pairs, inversions, share: pairs > 0 ? 1 - inversions / pairs : null };
}

export interface ShownWait {
  /** The range shown when the person first saw the waiting page, seconds. */
  lowS: number;
  highS: number;
  /** How long they actually waited, seconds. */
  waitedS: number;
}

export interface HonestWait {
  waits: number;
  inside: number;
  /** Waits shorter than the range (pleasant surprise) and longer (broken promise). */
  early: number;
  late: number;
  share: number | null;
}

export function honestWait(waits: readonly ShownWait[]): HonestWait {
  let inside = 0;
  let early = 0;
  let late = 0;
  for (const w of waits) {
    if (w.waitedS < w.lowS) early++;
    else if (w.waitedS > w.highS) late++;
    else inside++;
  }
  return { waits: waits.length, inside, early, late, share: waits.length > 0 ? inside / waits.length : null };
}

/**
 * The range a person reads on the waiting page: « entre 5 et 10 secondes », « entre 2 et 4
 * minutes » (English too). Numbers may hold narrow no-break spaces (French grouping).
 */
export function parseShownRange(text: string): { lowS: number; highS: number } | null {
  const m = /(?:entre|between)\s+([\d\u202f,]+)\s+(?:et|and)\s+([\d\u202f,]+)\s+(secondes|seconds|minutes)/i.exec(text);
  if (!m) return null;
  const num = (s: string) => Number(s.replace(/[\u202f,]/g, ''));
  const unit = m[3]!.toLowerCase().startsWith('min') ? 60 : 1;
  return { lowS: num(m[1]!) * unit, highS: num(m[2]!) * unit };
}
