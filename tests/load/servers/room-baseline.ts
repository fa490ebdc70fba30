/**
 * The room bench's baseline: a bare socket.io server on node:http that puts every socket in one
 * room and, for each `room:act`, numbers it, broadcasts the same shape of event the app sends and
 * acknowledges the seq. No auth, no database. Env: PORT.
 */
import http from "node:http";
import { Server } from "socket.io";

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
const io = new Server(server, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
let seq = 0;
io.on("connection", (socket) => {
  socket.on("room:join", (msg: { sessionId: number }, ack: (r: unknown) => void) => {
    void socket.join("room");
    ack({ ok: true, data: { role: "panel", head: seq, events: [], serverNow: Date.now() } });
  });
  socket.on("room:act", (msg: { sessionId: number; action: { body: string; stance: string } }, ack: (r: unknown) => void) => {
    seq++;
    const at = new Date().toISOString();
    io.to("room").emit("room:event", {
      sessionId: msg.sessionId,
      seq,
      kind: "statement.posted",
      at,
      actorId: 1,
      payload: { statement: { id: seq, seq, authorId: 1, authorName: "代表", speakerName: null, recordedByName: null, stance: msg.action.stance, body: msg.action.body, replyToId: null, pinned: false, hidden: false, hiddenReason: null, createdAt: at, counts: { agree: 0, disagree: 0, pass: 0 }, mine: null } },
    });
    ack({ ok: true, data: { seq, statementId: seq } });
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => io.close(() => process.exit(0)));
