import type { Socket } from "socket.io-client";

/** One socket per page, opened lazily in the browser; the server authenticates it from the session cookie. */
let socket: Socket | undefined;
export async function getSocket(): Promise<Socket> {
  if (!socket) {
    const { io } = await import("socket.io-client");
    socket = io({ transports: ["websocket", "polling"], withCredentials: true });
  }
  return socket;
}
