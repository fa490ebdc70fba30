import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsEndpoint } from "../../../tests/support/sms-endpoint";
import { aliyunSmsProvider, tencentSmsProvider, type SmsProviderSettings } from "./sms-providers.server";
import { smsChannel } from "./sms.server";
import type { Delivery } from "./outbox.server";

const SECRET = "s3cret-of-the-county";
let endpoint: Awaited<ReturnType<typeof startSmsEndpoint>>;
beforeAll(async () => {
  endpoint = await startSmsEndpoint({ secret: SECRET, refuse: (phone) => phone.endsWith("9999") });
});
afterAll(() => endpoint.stop());

const delivery = (phone: string): Delivery => ({
  id: 1,
  key: "1:sms",
  channel: "sms",
  userId: 1,
  attempts: 1,
  kind: "notify.matter.transition",
  params: { title: "东门路灯", state: "@matters.state.voting" },
  link: "/matters/1",
  createdAt: new Date(0),
  locale: "zh-CN",
  email: null,
  phone,
  displayName: "何奶奶",
  urgentKinds: [],
  bundle: null,
});

const providers: [string, (s: Partial<SmsProviderSettings>) => ReturnType<typeof aliyunSmsProvider>][] = [
  ["aliyun", (s) => aliyunSmsProvider({ accessKeyId: "LTAI-test", accessKeySecret: SECRET, signName: "某县议事", templateId: "SMS_460000001", endpoint: endpoint.endpoint, protocol: "http", ...s })],
  ["tencent", (s) => tencentSmsProvider({ accessKeyId: "AKID-test", accessKeySecret: SECRET, signName: "某县议事", templateId: "1900001", sdkAppId: "1400000001", protocol: "http", agent: endpoint.agent, ...s })],
];

describe.each(providers)("the %s SMS adapter, through its official SDK", (name, make) => {
  it("sends a signed request with the registered signature, the template and the notice as its variable", async () => {
    const channel = smsChannel(make({}), { signature: "某县议事" });
    const before = endpoint.received.length;
    await channel.send(delivery("13912345678"));
    const [r] = endpoint.received.slice(before);
    expect(r).toMatchObject({ provider: name, signatureValid: true, signName: "某县议事" });
    expect(r.phone).toBe(name === "tencent" ? "+8613912345678" : "13912345678");
    expect(r.templateId).toBe(name === "tencent" ? "1900001" : "SMS_460000001");
    // the provider adds the 【signature】 itself: the variable holds the notice alone
    expect(r.content).not.toContain("【");
    expect(r.content).toContain("东门路灯");
  });

  it("fails (for the job to retry) when the provider refuses the signature or the message", async () => {
    await expect(make({ accessKeySecret: "not-the-secret" }).send({ to: "13912345678", text: "【议事】x", segments: 1, delivery: delivery("13912345678") })).rejects.toThrow();
    expect(endpoint.received.at(-1)?.signatureValid).toBe(false);
    await expect(make({}).send({ to: "13900009999", text: "【议事】x", segments: 1, delivery: delivery("13900009999") })).rejects.toThrow(/LIMIT|Limit/);
  });
});
