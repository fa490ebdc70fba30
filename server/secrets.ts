import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEVELOPMENT_BALLOT_KEY } from "../app/modules/matters/voting/keys.server";
import type { Settings } from "../app/modules/shared/settings";
import { loadConfig, type Config } from "./config";
import { DEVELOPMENT_VOLUNTEER_KEY } from "../app/modules/volunteers/keys.server";
import { DEVELOPMENT_RECORD_SIGNING_KEY } from "../app/modules/volunteers/record-signing.server";

/**
 * Every secret the server needs. Production refuses to start when one is unset, shorter than
 * MIN_SECRET_LENGTH or a known default; local mode (`npm start`) generates the missing ones into
 * the data folder. Add a secret here and both rules apply to it.
 */
export const SECRETS = [
  {
    name: "VOLUNTEER_ID_KEY",
    purpose: "encrypts volunteers' ID numbers, hashes them for duplicate checks and seals certificates",
    knownDefaults: [DEVELOPMENT_VOLUNTEER_KEY],
  },
  {
    name: "BALLOT_KEY",
    purpose: "seals secret ballots until their vote closes and keys the hash that ties a receipt to its voter; keep it while a secret vote is open",
    knownDefaults: [DEVELOPMENT_BALLOT_KEY],
  },
  {
    name: "RECORD_SIGNING_KEY",
    purpose: "derives the Ed25519 key pair that signs volunteers' exported records; its public key is published at /.well-known/yishi-volunteer-key, and changing it makes earlier exports unverifiable against the published key",
    knownDefaults: [DEVELOPMENT_RECORD_SIGNING_KEY],
  },
] as const;
export type SecretName = (typeof SECRETS)[number]["name"];

/** 32 characters: what `openssl rand -base64 32` gives is 44. */
export const MIN_SECRET_LENGTH = 32;
/** Placeholders people copy from examples; refused whatever the secret. */
const PLACEHOLDERS = ["change-me", "changeme", "secret", "replace-me", "your-secret-here", "yishi-demo-2026"];
const HOW = "make one with `openssl rand -base64 32`";

/** The environment, or a plain object standing for it in tests. */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

/** One sentence per secret that production cannot use, naming it and how to make one. */
export function secretProblems(env: Env): string[] {
  const problems: string[] = [];
  for (const s of SECRETS) {
    const value = env[s.name]?.trim() ?? "";
    const known = [...s.knownDefaults, ...PLACEHOLDERS].some((d) => d.toLowerCase() === value.toLowerCase());
    if (!value) problems.push(`${s.name} is not set (it ${s.purpose}); ${HOW}.`);
    else if (known) problems.push(`${s.name} is a known default from the repository or an example; ${HOW}.`);
    else if (value.length < MIN_SECRET_LENGTH) problems.push(`${s.name} is shorter than ${MIN_SECRET_LENGTH} characters; ${HOW}.`);
  }
  return problems;
}

/** Production: throws a ConfigError naming every secret that is missing, weak or a known default. */
export function requireSecrets(env: Env) {
  const problems = secretProblems(env);
  if (problems.length) {
    throw new ConfigError(
      `Refusing to start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee the README's Deployment section. For a local trial, use \`npm start\` instead.`,
    );
  }
}

/**
 * Local mode: every secret not in the environment is read from `file`, or generated into it on
 * first start (mode 0600), and put into `env`. Says on `log` which it generated and where.
 */
export function ensureLocalSecrets(file: string, env: Env, log: (s: string) => void = console.log) {
  let stored: Record<string, string> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const generated: SecretName[] = [];
  for (const s of SECRETS) {
    if (env[s.name]) continue;
    if (!stored[s.name]) {
      stored[s.name] = randomBytes(32).toString("base64");
      generated.push(s.name);
    }
    env[s.name] = stored[s.name];
  }
  if (generated.length) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    log(`Local mode: generated ${generated.join(", ")} into ${file} (keep this file with the data; production sets these in its environment instead).`);
  }
  return generated;
}

/**
 * What every entry point (prepare, server, CLIs) runs first: refuse in production, generate
 * locally. The checked secrets go into the configuration's settings, which the server hands to
 * every command through its context; the modules never read them from the environment.
 */
export function prepareSecrets(config: { production: boolean; secretsFile: string; settings?: Settings }, env: Env = process.env, log?: (s: string) => void) {
  if (config.production) requireSecrets(env);
  else ensureLocalSecrets(config.secretsFile, env, log);
  const secrets = { ballotKey: env.BALLOT_KEY!, volunteerIdKey: env.VOLUNTEER_ID_KEY!, recordSigningKey: env.RECORD_SIGNING_KEY! };
  if (config.settings) config.settings.secrets = secrets;
  return secrets;
}

/**
 * What the server and `prepare` start with: the configuration, its secrets checked and in its
 * settings. A production start without them prints why and exits (status 1), before any work.
 */
export function startupConfig(env: Env = process.env): Config {
  const config = loadConfig(env);
  try {
    prepareSecrets(config, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
  return config;
}
