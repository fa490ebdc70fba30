// Bundles server/ (and the modules it shares with the app) into build/server/.
import { build } from "esbuild";

await build({
  entryPoints: {
    index: "server/index.ts",
    prepare: "server/prepare.ts",
    // the fair-lottery solver's worker thread (solveMaximin starts it from here in production)
    "selection-worker": "app/modules/matters/selection/solver/worker.ts",
  },
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
