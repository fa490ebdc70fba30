import type { Socket } from "socket.io-client";
import { loadCatalogue, type Locale } from "~/i18n";

/** One socket per page, opened lazily in the browser; the server authenticates it from the session cookie. */
let socket: Socket | undefined;
export async function getSocket(): Promise<Socket> {
  if (!socket) {
    // live events bring messages the page's HTML did not carry: fetch the page's whole catalogue too
    void loadCatalogue((document.documentElement.lang === "en" ? "en" : "zh-CN") as Locale);
    const { io } = await import("socket.io-client");
    socket = io({ transports: ["websocket", "polling"], withCredentials: true });
  }
  return socket;
}
