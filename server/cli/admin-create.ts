/**
 * `npm run admin:create -- --login <username or phone> --name <display name> --county <county>`
 * creates a county administrator (and the county, on an empty database). The password is asked
 * for twice on a terminal, without echo, or read from the first line of standard input when that
 * is a pipe; it never appears in the command line or the shell history. Exits 1 on refusal, 2 on
 * bad usage. On the embedded database, stop the server first (the database belongs to one process).
 */
import readline from "node:readline";
import { pickLocale, translate, type MessageKey } from "../../app/i18n";
import { createAdministrator } from "../../app/modules/accounts/administrators.server";
import { CreateAdministratorSchema } from "../../app/modules/accounts/schemas";
import { DomainError } from "../../app/modules/shared/errors";
import { parseMsg } from "../../app/modules/shared/validation";
import { migrate, openDatabase } from "../../db/client";
import { loadConfig } from "../config";

const locale = pickLocale(undefined, (process.env.LANG ?? "").startsWith("zh") ? "zh-CN" : "en");
const say = (m: string) => {
  const { key, params } = parseMsg(m);
  return translate(locale, key as MessageKey, params);
};

function option(args: string[], name: string) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Reads one line without echoing it (on a terminal). */
function ask(question: string, hidden: boolean): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) out.output.write(question);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write("\n");
      resolve(answer);
    }),
  );
}

async function readPassword() {
  if (process.stdin.isTTY) {
    const first = await ask("Password (at least 8 characters): ", true);
    const again = await ask("Password again: ", true);
    if (first !== again) return null;
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

async function main(args: string[]) {
  const login = option(args, "login");
  const name = option(args, "name");
  const county = option(args, "county");
  if (!login || !name || !county) {
    console.error("usage: npm run admin:create -- --login <username or phone> --name <display name> --county <county name>");
    process.exitCode = 2;
    return;
  }
  const password = await readPassword();
  if (password === null) {
    console.error(say("errors.passwordMismatch"));
    process.exitCode = 1;
    return;
  }
  const parsed = CreateAdministratorSchema.safeParse({ identifier: login, displayName: name, password, county });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${say(issue.message)}`);
    process.exitCode = 1;
    return;
  }
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    await migrate(database);
    const r = await createAdministrator(database.db, parsed.data, new Date());
    console.log(
      `${r.countyCreated ? `Created the county ${r.countyName} (area ${r.countyId}). ` : ""}` +
        `${parsed.data.displayName} (${parsed.data.identifier.value}) is county administrator of ${r.countyName}; sign in at /login.`,
    );
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    console.error(`${e.field ?? ""}${e.field ? ": " : ""}${say(e.messageKey)}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

await main(process.argv.slice(2));
