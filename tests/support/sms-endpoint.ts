/**
 * A local stand-in for the SMS APIs of Alibaba Cloud and Tencent Cloud: it checks each request's
 * signature the way the provider does (ACS3-HMAC-SHA256 and TC3-HMAC-SHA256, written here from
 * the providers' published algorithms, not taken from their SDKs) and answers as the provider
 * would: success, a signature failure, or a business refusal (`refuse`).
 */
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface SmsRequest {
  provider: "aliyun" | "tencent";
  signatureValid: boolean;
  phone: string;
  signName: string;
  templateId: string;
  /** the template's `content` variable */
  content: string;
}

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();
/** RFC 3986 percent-encoding, as both providers canonicalise. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function aliyunSignatureValid(req: http.IncomingMessage, body: Buffer, secret: string) {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ""));
  if (!auth) return false;
  const signed = auth[2].split(";");
  if (!["host", "x-acs-action", "x-acs-date", "x-acs-content-sha256"].every((h) => signed.includes(h))) return false;
  if (req.headers["x-acs-content-sha256"] !== sha256(body)) return false;
  const url = new URL(req.url ?? "/", "http://x");
  const query = [...url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join("&");
  const headers = [...signed].sort().map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
  const canonical = [req.method, url.pathname, query, headers, signed.join(";"), sha256(body)].join("\n");
  const expected = hmac(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`).toString("hex");
  return expected === auth[3];
}

function tencentSignatureValid(req: http.IncomingMessage, body: Buffer, secret: string) {
  const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\w+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(req.headers.authorization ?? ""),
  );
  if (!auth) return false;
  const [, , date, service, signedHeaders, signature] = auth;
  const timestamp = Number(req.headers["x-tc-timestamp"]);
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return false;
  const signed = signedHeaders.split(";");
  if (!signed.includes("host") || !signed.includes("content-type")) return false;
  const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? "").trim().toLowerCase()}\n`).join("");
  const canonical = [req.method, "/", "", headers, signedHeaders, sha256(body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${secret}`, date), service), "tc3_request");
  return hmac(key, toSign).toString("hex") === signature;
}

export async function startSmsEndpoint(opts: { secret: string; refuse?: (phone: string) => boolean; port?: number }) {
  const received: SmsRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.setHeader("content-type", "application/json");
      if (req.headers["x-tc-action"] === "SendSms") {
        const valid = tencentSignatureValid(req, body, opts.secret);
        const p = JSON.parse(body.toString("utf8") || "{}") as { PhoneNumberSet?: string[]; SignName?: string; TemplateId?: string; TemplateParamSet?: string[] };
        const phone = p.PhoneNumberSet?.[0] ?? "";
        received.push({ provider: "tencent", signatureValid: valid, phone, signName: p.SignName ?? "", templateId: p.TemplateId ?? "", content: p.TemplateParamSet?.[0] ?? "" });
        if (!valid) return res.end(JSON.stringify({ Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "signature mismatch" }, RequestId: "t" } }));
        const code = opts.refuse?.(phone) ? "LimitExceeded.PhoneNumberDailyLimit" : "Ok";
        return res.end(JSON.stringify({ Response: { SendStatusSet: [{ Code: code, Message: code === "Ok" ? "send success" : "limit", PhoneNumber: phone }], RequestId: "t" } }));
      }
      if (req.headers["x-acs-action"] === "SendSms") {
        const valid = aliyunSignatureValid(req, body, opts.secret);
        const q = new URL(req.url ?? "/", "http://x").searchParams;
        const phone = q.get("PhoneNumbers") ?? "";
        const param = JSON.parse(q.get("TemplateParam") ?? "{}") as { content?: string };
        received.push({ provider: "aliyun", signatureValid: valid, phone, signName: q.get("SignName") ?? "", templateId: q.get("TemplateCode") ?? "", content: param.content ?? "" });
        if (!valid) {
          res.statusCode = 400;
          return res.end(JSON.stringify({ Code: "SignatureDoesNotMatch", Message: "Specified signature does not match our calculation.", RequestId: "a" }));
        }
        const code = opts.refuse?.(phone) ? "isv.BUSINESS_LIMIT_CONTROL" : "OK";
        return res.end(JSON.stringify({ Code: code, Message: code, BizId: "b", RequestId: "a" }));
      }
      res.statusCode = 404;
      res.end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  // Tencent's SDK names its service after the host: keep the provider's host and route it here
  const agent = new http.Agent();
  (agent as unknown as { createConnection: (o: unknown, cb: () => void) => net.Socket }).createConnection = (_o, cb) => net.connect(port, "127.0.0.1", cb);
  return {
    received,
    endpoint: `127.0.0.1:${port}`,
    agent,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
