/**
 * SMS providers of mainland China through their official SDKs: Alibaba Cloud SMS
 * (@alicloud/dysmsapi20170525, requests signed ACS3-HMAC-SHA256) and Tencent Cloud SMS
 * (tencentcloud-sdk-nodejs-sms, TC3-HMAC-SHA256). Both send only registered templates: the
 * county registers one notification template with a single variable, `content` (for example
 * "议事通知：${content}"), and its id and signature go in the configuration. The text the channel
 * composed goes in that variable without its 【signature】, which the provider adds itself.
 */
import type { Agent } from "node:http";
import * as dysmsapi from "@alicloud/dysmsapi20170525";
import * as openapi from "@alicloud/openapi-core";
import { sms as tencentSms } from "tencentcloud-sdk-nodejs-sms";
import type { SmsProvider } from "./sms.server";

export interface SmsProviderSettings {
  accessKeyId: string;
  accessKeySecret: string;
  /** the registered signature (签名), e.g. 某某县议事 */
  signName: string;
  /** the registered template's id (模板 CODE / 模板 ID) */
  templateId: string;
  /** Tencent only: the SMS application's SdkAppId */
  sdkAppId?: string;
  /** Tencent only: the API region (default ap-guangzhou) */
  region?: string;
  /** host[:port] of the API; the provider's own by default */
  endpoint?: string;
  /** http or https (https by default; tests use http against a local endpoint) */
  protocol?: "http" | "https";
  /** Tencent only: the connection agent (tests route the provider's host to a local server) */
  agent?: Agent;
}

/** A template variable holds the notice without the signature the provider adds. */
const content = (text: string) => text.replace(/^【[^】]*】/, "");

/** The mainland number in E.164, as Tencent wants it (Alibaba takes the bare 11 digits). */
const e164 = (phone: string) => (phone.startsWith("+") ? phone : `+86${phone}`);

/**
 * A CommonJS package's exports, however the loader presents them: Node's ESM loader and vite give
 * a namespace whose `default` is `module.exports`, esbuild's CommonJS output `module.exports` itself.
 */
function cjs<T>(mod: T): T {
  const m = mod as { default?: unknown; __esModule?: boolean };
  const exportsObject = m.default && typeof m.default === "object" && "default" in (m.default as object) ? m.default : m;
  return exportsObject as T;
}

export function aliyunSmsProvider(s: SmsProviderSettings): SmsProvider {
  const { default: Dysmsapi, SendSmsRequest } = cjs(dysmsapi);
  const { $OpenApiUtil } = cjs(openapi);
  const client = new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: s.accessKeyId,
      accessKeySecret: s.accessKeySecret,
      endpoint: s.endpoint ?? "dysmsapi.aliyuncs.com",
      protocol: s.protocol ?? "https",
      connectTimeout: 5_000,
      readTimeout: 10_000,
    }),
  );
  return {
    name: "aliyun",
    async send({ to, text }) {
      const r = await client.sendSms(
        new SendSmsRequest({ phoneNumbers: to, signName: s.signName, templateCode: s.templateId, templateParam: JSON.stringify({ content: content(text) }) }),
      );
      // the API answers 200 with a business code: anything but OK is a failure the job retries
      if (r.body?.code !== "OK") throw new Error(`aliyun SMS refused: ${r.body?.code ?? "no code"} ${r.body?.message ?? ""}`.trim());
    },
  };
}

export function tencentSmsProvider(s: SmsProviderSettings): SmsProvider {
  if (!s.sdkAppId) throw new Error("Tencent Cloud SMS needs its SdkAppId (SMS_SDK_APP_ID)");
  const client = new tencentSms.v20210111.Client({
    credential: { secretId: s.accessKeyId, secretKey: s.accessKeySecret },
    region: s.region ?? "ap-guangzhou",
    profile: {
      httpProfile: { endpoint: s.endpoint ?? "sms.tencentcloudapi.com", protocol: `${s.protocol ?? "https"}://`, reqTimeout: 10, agent: s.agent },
    },
  });
  return {
    name: "tencent",
    async send({ to, text }) {
      const r = await client.SendSms({
        SmsSdkAppId: s.sdkAppId!,
        SignName: s.signName,
        TemplateId: s.templateId,
        TemplateParamSet: [content(text)],
        PhoneNumberSet: [e164(to)],
      });
      const status = r.SendStatusSet?.[0];
      if (status?.Code !== "Ok") throw new Error(`tencent SMS refused: ${status?.Code ?? "no status"} ${status?.Message ?? ""}`.trim());
    },
  };
}
