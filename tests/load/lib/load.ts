import autocannon, { type Result } from "autocannon";
import { cpuTimeMs } from "./processes";
import { round } from "./report";

export interface LoadStats {
  /** Mean completed requests per second (autocannon's per-second samples). */
  reqPerSec: number | null;
  /** Milliseconds. Under a fixed offered rate these are corrected for coordinated omission. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
  /** CPU time the server process used per completed request (set by `withServerCpu`); steadier than req/s on a busy machine. */
  serverCpuMsPerReq?: number | null;
}

function summarize(r: Result): LoadStats {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCodes[code] = count;
  return {
    reqPerSec: round(r.requests.average, 0),
    p50: round(r.latency.p50, 2),
    p90: round(r.latency.p90, 2),
    p99: round(r.latency.p99, 2),
    max: round(r.latency.max, 2),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    seconds: r.duration,
  };
}

/** Closed loop: `connections` clients, each sending its next request as soon as the last one is answered. */
export async function closedLoop(url: string, connections: number, seconds: number): Promise<LoadStats> {
  return summarize(await autocannon({ url, connections, duration: seconds }));
}

/** Open loop: `rate` requests per second offered in total over `connections` connections, whatever the server manages. */
export async function fixedRate(url: string, rate: number, connections: number, seconds: number): Promise<LoadStats> {
  return summarize(await autocannon({ url, connections, duration: seconds, overallRate: rate }));
}

/** Runs `load` and adds the server's CPU time per completed request (from /proc/<pid>/stat). */
export async function withServerCpu(pid: number, load: () => Promise<LoadStats>): Promise<LoadStats> {
  const before = cpuTimeMs(pid);
  const stats = await load();
  const after = cpuTimeMs(pid);
  stats.serverCpuMsPerReq = before !== null && after !== null && stats.requests > 0 ? round((after - before) / stats.requests, 3) : null;
  return stats;
}
