import { hash, verify, type Options } from "@node-rs/argon2";

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, parallelism 1. */
const OPTIONS: Options = { algorithm: 2 as Options["algorithm"] /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string) {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string) {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Checked when the account does not exist, so a miss costs as long as a hit. */
export const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$uXCJ4b2yMiHTUirxZ6VGfg$JsLr7t//IvKUea2wpjiceHIMzRaPYLoIxAOslcBT7mM";
