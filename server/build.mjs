// Bundles server/ (and the modules it shares with the app) into build/server/.
import { build } from "esbuild";

await build({
  entryPoints: { index: "server/index.ts", prepare: "server/prepare.ts" },
  outdir: "build/server",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  tsconfig: "tsconfig.json",
  logLevel: "warning",
});
