import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "db/migrations/**", "data/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
  },
  {
    // Routes are thin adapters: they reach data only through app/modules, never db/ directly.
    files: ["app/routes/**", "app/components/**", "app/realtime/**", "app/root.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/db/*", "**/db/**", "postgres", "@electric-sql/*"], message: "Routes and components use app/modules, not the database." }] }],
    },
  },
);
