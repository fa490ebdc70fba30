import path from "node:path";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

const root = path.resolve(import.meta.dirname, "..");

// One import alias: `~` is app/ (tsconfig paths, vitest alias, Remix). tsconfig's baseUrl would
// also let `app/…`, `db/…` resolve bare; those, and other alias spellings, are refused.
const oneAlias = {
  group: ["app/*", "app/**", "db/*", "db/**", "server/*", "server/**", "tests/*", "tests/**", "@/*", "#*", "~~/*", "src/*"],
  message: "One import alias: `~` for app/, relative paths for the rest.",
};
const webFrameworks = ["@remix-run/*", "express", "express/*", "socket.io", "socket.io/*", "socket.io-client", "helmet", "compression", "pino-http"];
const adapterPaths = ["~/web/*", "~/routes/*", "~/components/*", "**/app/web/*", "**/web/*.server", "**/routes/*", "**/server/*", "**/server/**"];

const noImports = (...patterns) => ["error", { patterns: [oneAlias, ...patterns] }];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "db/migrations/**", "data/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-restricted-imports": noImports(),
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
  },
  {
    // No import cycles; `~` is resolved through tsconfig, so a cycle through the alias counts too.
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [
        createNodeResolver({
          extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
          tsconfig: { configFile: path.join(root, "tsconfig.json") },
        }),
      ],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // Domain code knows no web framework and no adapter: routes, app/web and server/ call it, never the reverse.
    files: ["app/modules/**"],
    ignores: ["app/modules/**/*.test.ts"],
    rules: {
      "no-restricted-imports": noImports(
        { group: webFrameworks, message: "Domain code imports nothing from Remix, Express or socket.io: put web code in app/web or server/." },
        { group: adapterPaths, message: "Domain code does not import the web adapters (app/web, routes, components, server/)." },
      ),
    },
  },
  {
    // db/ is the schema, the client and migrations: it imports nothing from app/.
    files: ["db/**"],
    // (the demo seed and the ledger check run the app's commands: they live in server/demo and server/cli)
    rules: {
      "no-restricted-imports": noImports({ group: ["~/*", "**/app/*", "**/app/**"], message: "db/ imports nothing from app/." }),
    },
  },
  {
    // Configuration is read once, at start (server/config.ts loadConfig, server/secrets.ts), and
    // handed to the modules through the context's settings: the app reads no environment itself.
    files: ["app/**"],
    ignores: ["app/**/*.test.ts", "app/**/*.test.tsx"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in server/config.ts (loadConfig) and pass it in through ctx.settings." }],
    },
  },
  {
    // Routes are thin adapters: they reach data only through app/modules, never db/ directly.
    files: ["app/routes/**", "app/components/**", "app/realtime/**", "app/root.tsx"],
    rules: {
      "no-restricted-imports": noImports({ group: ["**/db/*", "**/db/**", "postgres", "@electric-sql/*"], message: "Routes and components use app/modules, not the database." }),
    },
  },
);
