import type { MessageKey } from "./zh-CN";

export const en: Record<MessageKey, string> = {} as Record<MessageKey, string>;
