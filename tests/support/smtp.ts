import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

/**
 * A real SMTP server for tests (smtp-server), every message parsed back with mailparser. `reject`
 * refuses recipients it matches with a temporary error (451), as a full mailbox or a greylist does.
 * `stop()` closes it like a server going down; `start()` brings it back on the same port.
 */
export async function startSmtp(opts: { port?: number; reject?: (to: string) => boolean } = {}) {
  const received: ParsedMail[] = [];
  /** when each message arrived (ms since the epoch), in the order of `received` */
  const arrivals: number[] = [];
  let server: SMTPServer | undefined;
  let port = opts.port ?? 0;
  const state = { reject: opts.reject };
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      // going down closes open (pooled) client connections at once, as a crashed server would
      closeTimeout: 100,
      onRcptTo(address, _session, cb) {
        if (state.reject?.(address.address)) {
          const err = new Error("mailbox temporarily unavailable") as Error & { responseCode: number };
          err.responseCode = 451;
          return cb(err);
        }
        cb();
      },
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((m) => {
            received.push(m);
            arrivals.push(Date.now());
            cb();
          })
          .catch(cb);
      },
    });
  const start = async () => {
    server = make();
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
    port = (server.server.address() as { port: number }).port;
  };
  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await start();
  return {
    received,
    arrivals,
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    start,
    stop,
    setReject(fn: ((to: string) => boolean) | undefined) {
      state.reject = fn;
    },
  };
}
