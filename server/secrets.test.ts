import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_VOLUNTEER_KEY } from "../app/modules/volunteers/keys.server";
import { DEVELOPMENT_BALLOT_KEY } from "../app/modules/matters/voting/keys.server";
import { DEVELOPMENT_RECORD_SIGNING_KEY } from "../app/modules/volunteers/record-signing.server";
import { loadConfig } from "./config";
import { ConfigError, ensureLocalSecrets, prepareSecrets, requireSecrets, SECRETS, secretProblems, type Env } from "./secrets";

const GOOD = "q2N8Jx7m0T4cKf1vR9bLw3ZsYh6PaE5uGdIo+Q/nXk0=";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "yishi-secrets-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("modes", () => {
  it("npm start's YISHI_MODE=local is not production, even with NODE_ENV=production; npm run serve is", () => {
    expect(loadConfig({ NODE_ENV: "production", YISHI_MODE: "local" }).production).toBe(false);
    expect(loadConfig({ NODE_ENV: "production" }).production).toBe(true);
    expect(loadConfig({}).production).toBe(false);
  });

  it("production seeds the demo only when asked; local seeds it unless told not to", () => {
    expect(loadConfig({ NODE_ENV: "production" }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SEED_DEMO: "1" }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SEED_DEMO: "true" }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", YISHI_MODE: "local" }).seedDemo).toBe(true);
    expect(loadConfig({ YISHI_MODE: "local", SEED_DEMO: "false" }).seedDemo).toBe(false);
  });

  it("TRUST_PROXY takes true/false and hop counts as Express means them, not as addresses", () => {
    expect(loadConfig({}).trustProxy).toBe("loopback");
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8" }).trustProxy).toBe("10.0.0.0/8");
  });
});

describe("production refuses to start without its secrets", () => {
  it("names an unset secret and says how to make one", () => {
    expect(() => requireSecrets({})).toThrow(ConfigError);
    expect(() => requireSecrets({})).toThrow(/VOLUNTEER_ID_KEY is not set.*openssl rand -base64 32/);
    expect(() => requireSecrets({ VOLUNTEER_ID_KEY: "   " })).toThrow(/VOLUNTEER_ID_KEY is not set/);
  });

  it("refuses the key in the repository, example placeholders and short keys", () => {
    expect(secretProblems({ VOLUNTEER_ID_KEY: DEVELOPMENT_VOLUNTEER_KEY })[0]).toMatch(/VOLUNTEER_ID_KEY is a known default/);
    expect(secretProblems({ VOLUNTEER_ID_KEY: "change-me" })[0]).toMatch(/known default/);
    expect(secretProblems({ VOLUNTEER_ID_KEY: "short-but-random-7f3a" })[0]).toMatch(/shorter than 32 characters.*openssl/);
  });

  it("starts with a long random key; every secret the server knows is checked", () => {
    expect(() => requireSecrets({ VOLUNTEER_ID_KEY: GOOD })).toThrow(/BALLOT_KEY is not set/);
    expect(() => requireSecrets({ VOLUNTEER_ID_KEY: GOOD, BALLOT_KEY: `${GOOD}b` })).toThrow(/RECORD_SIGNING_KEY is not set/);
    expect(() => requireSecrets({ VOLUNTEER_ID_KEY: GOOD, BALLOT_KEY: `${GOOD}b`, RECORD_SIGNING_KEY: `${GOOD}r` })).not.toThrow();
    expect(secretProblems({ VOLUNTEER_ID_KEY: GOOD, BALLOT_KEY: `${GOOD}b`, RECORD_SIGNING_KEY: DEVELOPMENT_RECORD_SIGNING_KEY })[0]).toMatch(/RECORD_SIGNING_KEY is a known default/);
    expect(secretProblems({ VOLUNTEER_ID_KEY: GOOD, BALLOT_KEY: DEVELOPMENT_BALLOT_KEY })[0]).toMatch(/BALLOT_KEY is a known default/);
    expect(secretProblems({})).toHaveLength(SECRETS.length);
  });

  it("prepareSecrets refuses in production and does not write a file there", () => {
    const file = path.join(tmp, "prod", "local-secrets.json");
    expect(() => prepareSecrets({ production: true, secretsFile: file }, {})).toThrow(/VOLUNTEER_ID_KEY/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe("local mode generates its secrets into the data folder", () => {
  it("on first start: generated, written 0600, said on the console; the next start reads the same", () => {
    const file = path.join(tmp, "data", "local-secrets.json");
    const said: string[] = [];
    const env1: Env = {};
    prepareSecrets({ production: false, secretsFile: file }, env1, (s) => said.push(s));
    expect(env1.VOLUNTEER_ID_KEY).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(env1.BALLOT_KEY).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(env1.BALLOT_KEY).not.toBe(env1.VOLUNTEER_ID_KEY);
    expect(env1.RECORD_SIGNING_KEY).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(secretProblems(env1)).toEqual([]);
    expect(said.join("\n")).toContain(`generated VOLUNTEER_ID_KEY, BALLOT_KEY, RECORD_SIGNING_KEY into ${file}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const env2: Env = {};
    const again: string[] = [];
    expect(ensureLocalSecrets(file, env2, (s) => again.push(s))).toEqual([]);
    expect(env2.VOLUNTEER_ID_KEY).toBe(env1.VOLUNTEER_ID_KEY);
    expect(env2.BALLOT_KEY).toBe(env1.BALLOT_KEY);
    expect(again).toEqual([]);
  });

  it("a secret set in the environment wins and nothing is generated for it", () => {
    const file = path.join(tmp, "other", "local-secrets.json");
    const env: Env = { VOLUNTEER_ID_KEY: GOOD, BALLOT_KEY: `${GOOD}b`, RECORD_SIGNING_KEY: `${GOOD}r` };
    expect(ensureLocalSecrets(file, env, () => {})).toEqual([]);
    expect(env.VOLUNTEER_ID_KEY).toBe(GOOD);
    expect(fs.existsSync(file)).toBe(false);
  });
});
