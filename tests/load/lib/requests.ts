import { Pool, type Dispatcher } from "undici";
import { round } from "./report";

/** One answer: status, time from sending to the last byte of the body (ms), and the body when asked for. */
export interface Answer {
  status: number;
  ms: number;
  bytes: number;
  body?: string;
}

export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Keep the body as text (costs the client CPU; ask only for the answers you check). */
  keepBody?: boolean;
}

/**
 * Keep-alive HTTP/1.1 requests to one origin over at most `sockets` connections, one request at a
 * time on each (no pipelining: `sockets` clients). undici's Pool, not node:http: the load generator
 * shares the CPUs with the server and its database, and undici spends about a third less CPU per
 * request than node:http with a keep-alive Agent (voting bench: 0.13 against 0.20 ms per ballot
 * post), so more of the machine goes to what is measured.
 */
export function keepAliveClient(origin: string, sockets: number, timeoutMs = 30_000) {
  const pool = new Pool(origin, { connections: sockets, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 60_000 });
  const send = async (spec: RequestSpec): Promise<Answer> => {
    const t0 = performance.now();
    const res = await pool.request({ method: spec.method as Dispatcher.HttpMethod, path: spec.path, headers: spec.headers, body: spec.body });
    const data = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, ms: performance.now() - t0, bytes: data.length, body: spec.keepBody ? data.toString("utf8") : undefined };
  };
  return { send, close: () => void pool.destroy().catch(() => {}) };
}

/**
 * `workers` clients pulling items off one queue until it is empty, each handling one item at a time
 * (a closed loop). Resolves with the wall-clock seconds from the first item to the last answer.
 */
export async function workerPool<T>(items: readonly T[], workers: number, work: (item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
  return (performance.now() - t0) / 1000;
}

/** Percentile by nearest rank over sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LatencyStats {
  requests: number;
  seconds: number | null;
  reqPerSec: number | null;
  /** Milliseconds, each request timed by the client from sending to the end of the answer. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  statusCodes: Record<string, number>;
  /** Answers with another status than the expected one. */
  unexpected: number;
  /** Requests that got no answer (connection error, timeout). */
  errors: number;
}

/** Collects latencies and statuses of one kind of request. */
export class Recorder {
  private readonly ms: number[] = [];
  private readonly codes: Record<string, number> = {};
  private failures = 0;
  private unexpectedCount = 0;
  readonly errorSamples: string[] = [];

  constructor(private readonly expected = 200) {}

  add(a: Answer) {
    this.ms.push(a.ms);
    this.codes[a.status] = (this.codes[a.status] ?? 0) + 1;
    if (a.status !== this.expected) this.unexpectedCount++;
  }

  fail(e: unknown) {
    this.failures++;
    if (this.errorSamples.length < 5) this.errorSamples.push((e as Error).message ?? String(e));
  }

  get count() {
    return this.ms.length + this.failures;
  }

  /** `seconds`: the wall time of the phase these requests ran in, for req/s. */
  stats(seconds: number | null): LatencyStats {
    const sorted = [...this.ms].sort((a, b) => a - b);
    return {
      requests: this.count,
      seconds: round(seconds, 2),
      reqPerSec: seconds ? round(this.ms.length / seconds, 0) : null,
      p50: round(percentile(sorted, 50), 1),
      p90: round(percentile(sorted, 90), 1),
      p99: round(percentile(sorted, 99), 1),
      max: round(sorted.at(-1), 1),
      statusCodes: { ...this.codes },
      unexpected: this.unexpectedCount,
      errors: this.failures,
    };
  }

  /** All recorders' latencies together (for a p99 over several kinds of request). */
  static merged(recorders: Recorder[], expected = 200): Recorder {
    const all = new Recorder(expected);
    for (const r of recorders) {
      for (const v of r.ms) all.ms.push(v);
      for (const [code, n] of Object.entries(r.codes)) all.codes[code] = (all.codes[code] ?? 0) + n;
      all.failures += r.failures;
      all.unexpectedCount += r.unexpectedCount;
      all.errorSamples.push(...r.errorSamples.slice(0, 5 - all.errorSamples.length));
    }
    return all;
  }
}
