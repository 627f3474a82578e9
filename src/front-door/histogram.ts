/**
 * Arrival histogram: how many tickets were minted per lane and per 100 ms bucket. It is the only
 * memory the waiting room has of its crowd, and its size depends on time, never on the number of
 * people (one number per lane per bucket). Inside a bucket arrivals are taken as evenly spread,
 * which lets the frontier stop part-way through a bucket (a 9:00 step can put thousands of people
 * in one bucket) while keeping arrival order at 100 ms resolution.
 */

/** Width of a bucket: the resolution of arrival order. */
export const BUCKET_MS = 100;

/** A point of a cumulative summary: `[offset from the frontier (ms), arrivals up to that offset]`. */
export type SummaryPoint = readonly [number, number];

/** The result of passing arrivals with the frontier. */
export interface Advance {
  /** The new frontier (ms, fractional). */
  to: number;
  /** Arrivals passed (fractional). */
  passed: number;
  /** True when every known arrival up to the limit was passed. */
  drained: boolean;
}

/** The bucket that contains time `ms`. */
export const bucketOf = (ms: number): number => Math.floor(ms / BUCKET_MS);

/** Fraction of bucket `b` that lies at or before time `x`. */
function fractionUpTo(x: number, b: number): number {
  const f = (x - b * BUCKET_MS) / BUCKET_MS;
  return f <= 0 ? 0 : f >= 1 ? 1 : f;
}

class LaneBuckets {
  readonly counts = new Map<number, number>();
  minBucket = Number.POSITIVE_INFINITY;
  maxBucket = Number.NEGATIVE_INFINITY;

  add(bucket: number, n: number): void {
    const next = (this.counts.get(bucket) ?? 0) + n;
    if (next <= 0) this.counts.delete(bucket);
    else this.counts.set(bucket, next);
    if (bucket < this.minBucket) this.minBucket = bucket;
    if (bucket > this.maxBucket) this.maxBucket = bucket;
  }

  /** Arrivals in (from, to], interpolated inside the end buckets. */
  between(from: number, to: number): number {
    if (to <= from) return 0;
    let sum = 0;
    const last = Math.min(bucketOf(to), this.maxBucket);
    for (let b = Math.max(bucketOf(from), this.minBucket); b <= last; b++) {
      const c = this.counts.get(b);
      if (c) sum += c * (fractionUpTo(to, b) - fractionUpTo(from, b));
    }
    return sum;
  }

  prune(beforeBucket: number): void {
    if (beforeBucket <= this.minBucket) return;
    for (const b of this.counts.keys()) if (b < beforeBucket) this.counts.delete(b);
    this.minBucket = beforeBucket;
  }
}

/** Per-lane arrival counts in 100 ms buckets. */
export class ArrivalHistogram {
  private readonly lanes = new Map<string, LaneBuckets>();

  private lane(name: string): LaneBuckets {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new LaneBuckets();
      this.lanes.set(name, lane);
    }
    return lane;
  }

  /** Adds `n` arrivals (negative to correct) to a bucket. */
  add(lane: string, bucket: number, n: number): void {
    if (n !== 0) this.lane(lane).add(bucket, n);
  }

  /** Arrivals of a lane with arrival time in (from, to]. */
  between(lane: string, from: number, to: number): number {
    return this.lanes.get(lane)?.between(from, to) ?? 0;
  }

  /**
   * Moves a frontier from `from` over at most `allowance` arrivals, never beyond `limit` (the
   * time up to which every node has flushed its counts).
   */
  advance(lane: string, from: number, allowance: number, limit: number): Advance {
    const buckets = this.lanes.get(lane);
    let x = from;
    let remaining = Math.max(0, allowance);
    let passed = 0;
    for (let b = bucketOf(from); x < limit; b++) {
      if (!buckets || b > buckets.maxBucket) return { to: limit, passed, drained: true };
      const end = Math.min((b + 1) * BUCKET_MS, limit);
      const c = buckets.counts.get(b) ?? 0;
      const here = c * (fractionUpTo(end, b) - fractionUpTo(x, b));
      if (here > remaining) {
        x = b * BUCKET_MS + (fractionUpTo(x, b) + remaining / c) * BUCKET_MS;
        return { to: x, passed: passed + remaining, drained: false };
      }
      remaining -= here;
      passed += here;
      x = end;
    }
    return { to: Math.max(x, from), passed, drained: true };
  }

  /**
   * The cumulative arrivals after `from`, as at most `maxPoints` points (equal-count segments,
   * so that interpolating between two points is off by less than one segment).
   */
  summary(lane: string, from: number, to: number, maxPoints = 48): SummaryPoint[] {
    const buckets = this.lanes.get(lane);
    if (!buckets || to <= from) return [];
    const all: Array<[number, number]> = [];
    let cum = 0;
    const last = Math.min(bucketOf(to), buckets.maxBucket);
    for (let b = Math.max(bucketOf(from), buckets.minBucket); b <= last; b++) {
      const c = buckets.counts.get(b);
      if (!c) continue;
      const start = Math.max(b * BUCKET_MS, from);
      const end = Math.min((b + 1) * BUCKET_MS, to);
      const here = c * (fractionUpTo(end, b) - fractionUpTo(start, b));
      if (here <= 0) continue;
      if (all.length === 0 || all[all.length - 1]![0] < start - from) all.push([start - from, cum]);
      cum += here;
      all.push([end - from, cum]);
    }
    return compress(all, maxPoints);
  }

  /** Forgets buckets that ended before `beforeMs` (behind every frontier). */
  prune(beforeMs: number): void {
    const b = bucketOf(beforeMs);
    for (const lane of this.lanes.values()) lane.prune(b);
  }

  /** Number of stored buckets (for the memory test and metrics). */
  size(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.counts.size;
    return n;
  }
}

function compress(points: ReadonlyArray<readonly [number, number]>, maxPoints: number): SummaryPoint[] {
  const total = points.length > 0 ? points[points.length - 1]![1] : 0;
  const out: SummaryPoint[] = [];
  const step = total / Math.max(1, maxPoints - 1);
  let threshold = 0;
  for (let i = 0; i < points.length; i++) {
    const [dt, cum] = points[i]!;
    const isLast = i === points.length - 1;
    if (points.length <= maxPoints || isLast || cum >= threshold + step) {
      const point: SummaryPoint = [Math.round(dt), Math.round(cum)];
      const prev = out[out.length - 1];
      if (prev && point[0] <= prev[0]) out[out.length - 1] = [prev[0], Math.max(point[1], prev[1])];
      else out.push(point);
      threshold = cum;
    }
  }
  return out;
}
