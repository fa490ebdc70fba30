/**
 * JavaScript a page loads, measured from the built Remix manifest: the entry, then every route the
 * URL matches (root first) with the chunks each one imports, deduplicated, gzip-compressed (level 9,
 * as `compression` would at best). Chunks a page only imports later (`import()`) are not counted.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
}
interface Manifest {
  entry: { module: string; imports?: string[] };
  routes: Record<string, ManifestRoute>;
}

export function readManifest(root: string): Manifest {
  const dir = path.join(root, "build/public/build");
  const file = fs.readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) throw new Error("no build/public/build/manifest-*.js: run `npm run build` first");
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  return JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, "")) as Manifest;
}

/** Files (URL paths under /build/) a page of this leaf route loads, in order, without repeats. */
export function filesOf(manifest: Manifest, routeId: string): string[] {
  const chain: ManifestRoute[] = [];
  for (let r: ManifestRoute | undefined = manifest.routes[routeId]; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r);
  if (!chain.length) throw new Error(`no route ${routeId} in the manifest`);
  const files = [manifest.entry.module, ...(manifest.entry.imports ?? [])];
  for (const r of chain) files.push(r.module, ...(r.imports ?? []));
  return [...new Set(files)];
}

const gzipCache = new Map<string, number>();
export function gzipSize(root: string, urlPath: string): number {
  const file = path.join(root, "build/public", urlPath);
  let n = gzipCache.get(file);
  if (n === undefined) {
    n = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    gzipCache.set(file, n);
  }
  return n;
}

export interface PageWeight {
  route: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
  largest: { file: string; gzipBytes: number }[];
}

export function pageWeight(root: string, manifest: Manifest, routeId: string): PageWeight {
  const files = filesOf(manifest, routeId);
  const sizes = files.map((f) => ({ file: f, gzipBytes: gzipSize(root, f), raw: fs.statSync(path.join(root, "build/public", f)).size }));
  return {
    route: routeId,
    files: files.length,
    rawBytes: sizes.reduce((s, x) => s + x.raw, 0),
    gzipBytes: sizes.reduce((s, x) => s + x.gzipBytes, 0),
    largest: sizes
      .sort((a, b) => b.gzipBytes - a.gzipBytes)
      .slice(0, 3)
      .map(({ file, gzipBytes }) => ({ file, gzipBytes })),
  };
}

/** Every leaf route (one no other route names as its parent), i.e. every page a URL can show. */
export function leafRoutes(manifest: Manifest): string[] {
  const parents = new Set(Object.values(manifest.routes).map((r) => r.parentId));
  return Object.keys(manifest.routes)
    .filter((id) => id !== "root" && !parents.has(id))
    .sort();
}
