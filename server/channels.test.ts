import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { configuredChannels } from "./channels";
import { loadConfig } from "./config";
import { startSmsEndpoint } from "../tests/support/sms-endpoint";

/** The channels a server with `env` turns on, and what its log said. */
function channelsFor(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const config = loadConfig({ NODE_ENV: "test", ...env } as NodeJS.ProcessEnv);
  const { channels, close } = configuredChannels(config, log);
  close();
  return { channels, lines };
}

const keys = { SMS_ACCESS_KEY_ID: "id", SMS_ACCESS_KEY_SECRET: "secret", SMS_TEMPLATE_ID: "SMS_1" };

describe("the SMS channel's configuration", () => {
  it("turns Alibaba Cloud or Tencent Cloud SMS on only with every key, and says which is missing", () => {
    expect(channelsFor({ SMS_PROVIDER: "aliyun", ...keys }).channels.sms).toBeDefined();
    expect(channelsFor({ SMS_PROVIDER: "tencent", ...keys, SMS_SDK_APP_ID: "1400000001" }).channels.sms).toBeDefined();

    const tencent = channelsFor({ SMS_PROVIDER: "tencent", ...keys });
    expect(tencent.channels.sms).toBeUndefined();
    expect(tencent.lines.find((l) => l.missing)).toMatchObject({ missing: ["SMS_SDK_APP_ID"] });

    const noSecret = channelsFor({ SMS_PROVIDER: "aliyun", SMS_ACCESS_KEY_ID: "id", SMS_TEMPLATE_ID: "SMS_1" });
    expect(noSecret.channels.sms).toBeUndefined();
    expect(noSecret.lines.find((l) => l.missing)).toMatchObject({ missing: ["SMS_ACCESS_KEY_SECRET"] });

    expect(channelsFor({ SMS_PROVIDER: "carrier-pigeon", ...keys }).channels.sms).toBeUndefined();
    expect(channelsFor({}).channels.sms).toBeUndefined();
  });
});

describe("SMS_ENDPOINT with a scheme", () => {
  it("sends a code through Alibaba's SDK over plain HTTP to the named host and port, signed with the configured secret", async () => {
    const endpoint = await startSmsEndpoint({ secret: "a-test-secret" });
    try {
      const log = pino({ level: "silent" });
      const config = loadConfig({ NODE_ENV: "test", SMS_PROVIDER: "aliyun", SMS_ACCESS_KEY_ID: "id", SMS_ACCESS_KEY_SECRET: "a-test-secret", SMS_TEMPLATE_ID: "SMS_1", SMS_ENDPOINT: `http://${endpoint.endpoint}` } as NodeJS.ProcessEnv);
      const { textMessage, close } = configuredChannels(config, log);
      await textMessage!("13700001234", "议事验证码 123456");
      close();
      expect(endpoint.received).toEqual([expect.objectContaining({ provider: "aliyun", signatureValid: true, phone: "13700001234", templateId: "SMS_1" })]);
      expect(endpoint.received[0].content).toContain("123456");
    } finally {
      await endpoint.stop();
    }
  });
});
