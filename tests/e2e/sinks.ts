/**
 * Playwright's global setup: where the app's outside messages land during the e2e run. A real SMTP
 * server (smtp-server, each message parsed back with mailparser) and a local SMS endpoint that
 * checks the signed requests Alibaba Cloud's official SDK sends (tests/support/sms-endpoint.ts);
 * the built app is configured to use both (.config/playwright.config.ts). Tests read what arrived
 * from a small JSON inbox: GET /mail and GET /sms on `sinkPorts(port).inbox`.
 */
import http from "node:http";
import type { FullConfig } from "@playwright/test";
import { startSmsEndpoint } from "../support/sms-endpoint";
import { startSmtp } from "../support/smtp";
import { SMS_SECRET, sinkPorts } from "./sink-ports";

export default async function startSinks(_config: FullConfig) {
  const ports = sinkPorts(Number(process.env.E2E_PORT ?? 3210));
  const smtp = await startSmtp({ port: ports.smtp });
  const sms = await startSmsEndpoint({ secret: SMS_SECRET, port: ports.sms });
  const inbox = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json; charset=utf-8");
    if (req.url === "/sms") return res.end(JSON.stringify(sms.received));
    if (req.url === "/mail")
      return res.end(
        JSON.stringify(
          smtp.received.map((m) => ({
            to: m.to ? (Array.isArray(m.to) ? m.to : [m.to]).map((a) => a.text).join(", ") : "",
            subject: m.subject ?? "",
            text: m.text ?? "",
            html: typeof m.html === "string" ? m.html : "",
            messageId: m.messageId ?? "",
            // the raw header lines, as a mail client reads them (mailparser's parsed form drops the Post one)
            listUnsubscribe: m.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "",
            listUnsubscribePost: m.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line ?? "",
          })),
        ),
      );
    res.statusCode = 404;
    res.end("{}");
  });
  await new Promise<void>((r) => inbox.listen(ports.inbox, "127.0.0.1", () => r()));
  return async () => {
    await new Promise<void>((r) => inbox.close(() => r()));
    await sms.stop();
    await smtp.stop();
  };
}
