/**
 * `bundle`: JavaScript each page loads, gzip, from the built manifest (tests/load/lib/bundle.ts).
 * Goals (issue 25): ≤ 100 KB on the home, matter, vote and room pages; ≤ 150 KB on any page.
 * KB here is 1,024 bytes (the stricter reading). Rebuilds the client first so the numbers are the
 * code's, not a stale build's. Chunks fetched later (`import()`: the page's language catalogue when
 * the browser is idle, socket.io when a live view connects) are listed apart, not counted.
 */
import { spawnSync } from "node:child_process";
import { atMost, formatTable, round } from "../lib/report";
import { leafRoutes, pageWeight, readManifest } from "../lib/bundle";
import type { Scenario } from "../lib/types";

const KB = 1024;
const KEY_PAGES: Record<string, string> = {
  "routes/_index": "home /",
  "routes/matters.$matterId": "matter /matters/:id",
  "routes/votes.$voteId": "vote /votes/:id",
  "routes/rooms.$sessionId": "room /rooms/:id",
};
const KEY_LIMIT = 100;
const ANY_LIMIT = 150;

const scenario: Scenario = {
  name: "bundle",
  description: "gzip JavaScript per page from the build manifest (≤ 100 KB key pages, ≤ 150 KB any page)",
  async run({ root, log }) {
    log("building the client (remix build)…");
    const built = spawnSync("npx", ["remix", "build"], { cwd: root, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`remix build failed:\n${built.stderr}`);
    const manifest = readManifest(root);
    const pages = leafRoutes(manifest).map((id) => pageWeight(root, manifest, id));
    pages.sort((a, b) => b.gzipBytes - a.gzipBytes);
    const heaviest = pages[0];
    const checks = [
      ...Object.entries(KEY_PAGES).map(([id, label]) => {
        const p = pages.find((x) => x.route === id);
        return atMost(`JS gzip, ${label}`, p ? round(p.gzipBytes / KB, 1) : null, KEY_LIMIT, "KB");
      }),
      atMost(`JS gzip, heaviest page (${heaviest?.route ?? "none"})`, heaviest ? round(heaviest.gzipBytes / KB, 1) : null, ANY_LIMIT, "KB"),
    ];
    const rows = pages.map((p) => [p.route, round(p.gzipBytes / KB, 1), round(p.rawBytes / KB, 1), p.files, p.largest.map((l) => `${l.file.split("/").pop()} ${round(l.gzipBytes / KB, 1)}`).join(", ")]);
    return {
      results: {
        unit: "KB = 1024 bytes, gzip level 9",
        pages: pages.map((p) => ({ ...p, gzipKB: round(p.gzipBytes / KB, 1) })),
      },
      checks,
      tables: [formatTable("JavaScript per page (gzip, static imports of entry + root + route)", ["route", "gzip KB", "raw KB", "files", "largest (gzip KB)"], rows, "lrrrl")],
    };
  },
};

export default scenario;
