import type { notificationsZhCN } from "./notifications.zh-CN";

/** E-mail and SMS notifications, preferences, the dead-letter list (issue 17). */
export const notificationsEn: Record<keyof typeof notificationsZhCN, string> = {
  "notifications.email.subject": "Yishi: {summary}",
  "notifications.email.greeting": "Hello {name},",
  "notifications.email.open": "Open in Yishi",
  "notifications.email.why": "You receive this e-mail because you turned on e-mail notifications under My account in Yishi.",
  "notifications.email.unsubscribe": "Unsubscribe from e-mail notifications",
  "notifications.errors.notDead": "This delivery is not on the failed list; it may have been retried already.",
  "notifications.errors.badToken": "This unsubscribe link is not valid. Change your notification settings under My account.",
  "unsubscribe.title": "Unsubscribe",
  "unsubscribe.confirm": "Stop receiving Yishi notifications by {channel}?",
  "unsubscribe.submit": "Unsubscribe",
  "unsubscribe.done": "You are unsubscribed. You can turn it back on under My account.",
  "channel.email": "e-mail",
  "channel.sms": "SMS",
  "deliveries.title": "Failed notification deliveries",
  "deliveries.intro": "These e-mails and text messages were not delivered after several tries. Once the cause is fixed, send them again.",
  "deliveries.empty": "No failed deliveries.",
  "deliveries.recipient": "Recipient",
  "deliveries.channel": "Channel",
  "deliveries.kind": "Notification",
  "deliveries.attempts": "Tries",
  "deliveries.error": "Last error",
  "deliveries.failedAt": "Failed at",
  "deliveries.retry": "Send again",
  "deliveries.retried": "Put back in the sending queue.",
};
