/**
 * The outside notification channels this server is configured for. Each is off unless all of its
 * settings are present; the log says which one is missing, once, at start.
 */
import type { Logger } from "pino";
import { emailChannel } from "../app/modules/notifications/email.server";
import type { Channels } from "../app/modules/notifications/outbox.server";
import { consoleSmsProvider, smsChannel, textMessageSender } from "../app/modules/notifications/sms.server";
import { aliyunSmsProvider, tencentSmsProvider } from "../app/modules/notifications/sms-providers.server";
import type { Config } from "./config";

/** The unsubscribe key signs links anyone may hold: as long as the server's other secrets. */
const MIN_KEY_LENGTH = 32;

export interface OutsideChannels {
  channels: Channels;
  /** Sends one text at once (codes a person asked for); absent without an SMS provider. */
  textMessage?: (to: string, text: string) => Promise<void>;
  close(): void;
}

export function configuredChannels(config: Pick<Config, "email" | "sms" | "settings">, log: Logger): OutsideChannels {
  const channels: Channels = {};
  let textMessage: OutsideChannels["textMessage"];
  const closers: (() => void)[] = [];
  const { smtpUrl, from, origin } = config.email;
  const key = config.settings.notifications?.unsubscribeKey;
  if (smtpUrl || from) {
    const missing = [!smtpUrl && "SMTP_URL", !from && "MAIL_FROM", (!key || key.length < MIN_KEY_LENGTH) && `NOTIFY_KEY (at least ${MIN_KEY_LENGTH} characters)`].filter(Boolean);
    if (missing.length) log.error({ missing }, "e-mail notifications are off: a setting is missing");
    else {
      const email = emailChannel({ smtpUrl: smtpUrl!, from: from!, origin, unsubscribeKey: key! });
      channels.email = email;
      closers.push(() => email.close());
      log.info({ from }, "e-mail notifications are on");
    }
  }
  if (config.sms.provider === "console") {
    const provider = consoleSmsProvider((line) => log.info(line, "SMS (console provider: not sent)"));
    channels.sms = smsChannel(provider, { signature: config.sms.signature });
    textMessage = textMessageSender(provider, { signature: config.sms.signature });
    log.warn("SMS notifications go to the log (SMS_PROVIDER=console): for development only");
  } else if (config.sms.provider === "aliyun" || config.sms.provider === "tencent") {
    const { provider, accessKeyId, accessKeySecret, templateId, sdkAppId, region, endpoint, signature } = config.sms;
    const missing = [
      !accessKeyId && "SMS_ACCESS_KEY_ID",
      !accessKeySecret && "SMS_ACCESS_KEY_SECRET",
      !templateId && "SMS_TEMPLATE_ID",
      provider === "tencent" && !sdkAppId && "SMS_SDK_APP_ID",
    ].filter(Boolean);
    if (missing.length) log.error({ provider, missing }, "SMS notifications are off: a setting is missing");
    else {
      // SMS_ENDPOINT may name its scheme (http://host:port for a local relay or a test endpoint)
      const scheme = endpoint ? /^(https?):\/\/([^/]+)\/?$/.exec(endpoint) : null;
      const settings = {
        accessKeyId: accessKeyId!,
        accessKeySecret: accessKeySecret!,
        signName: signature,
        templateId: templateId!,
        sdkAppId,
        region,
        endpoint: scheme ? scheme[2] : endpoint,
        protocol: (scheme?.[1] ?? "https") as "http" | "https",
      };
      const sender = provider === "aliyun" ? aliyunSmsProvider(settings) : tencentSmsProvider(settings);
      channels.sms = smsChannel(sender, { signature });
      textMessage = textMessageSender(sender, { signature });
      log.info({ provider, signature }, "SMS notifications are on");
    }
  } else if (config.sms.provider) {
    log.error({ provider: config.sms.provider }, "SMS notifications are off: SMS_PROVIDER is aliyun, tencent or console");
  }
  return { channels, textMessage, close: () => closers.forEach((c) => c()) };
}
