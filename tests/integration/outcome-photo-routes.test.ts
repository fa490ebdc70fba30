import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { commitmentPhotos, commitments, commitmentUpdates, matters, outcomes } from "../../db/schema";
import * as matterPage from "../../app/routes/matters.$matterId";
import * as photoRoute from "../../app/routes/commitment-photos.$updateId";
import { testDatabase } from "../support/db";
import { actorOf, grant, makeCategory, makeTree, makeUser } from "../support/factories";
import { callRoute, loadContext } from "../support/remix";
import type { Actor } from "../../app/modules/accounts/actor";
import { imageType } from "../../app/modules/shared/photos";

let database: Database;
let staff: Actor;
let matterId: number;
let commitmentId: number;
let draftMatterId: number;

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 20, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const tree = await makeTree(db);
  const categoryId = (await makeCategory(db, tree.county.id)).id;
  const s = await makeUser(db);
  await grant(db, s.id, "committee", tree.a1.id);
  staff = await actorOf(db, s.id);
  const [m] = await db
    .insert(matters)
    .values({ communityId: tree.a1.id, proposerId: s.id, state: "implementing", title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" })
    .returning();
  matterId = m.id;
  await db.insert(outcomes).values({ matterId, decision: "修", recordedAt: new Date() });
  const [c] = await db.insert(commitments).values({ matterId, title: "采购", responsibleUnit: "居委会", dueDate: "2027-01-01" }).returning();
  commitmentId = c.id;
  // a photo on a draft's commitment: nobody but the proposer may see the draft, so nobody else its photo
  const other = await makeUser(db);
  const [d] = await db
    .insert(matters)
    .values({ communityId: tree.a1.id, proposerId: other.id, state: "draft", title: "t", description: "d", categoryId, affectedArea: "a", desiredOutcome: "o" })
    .returning();
  draftMatterId = d.id;
});
afterAll(() => database.close());

function multipart(fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  if (file) body.append("photo", new File([file.bytes as BlobPart], file.name, { type: file.type }));
  return body;
}
const update = (file?: { bytes: Uint8Array; name: string; type: string }, actor: Actor | null = staff) =>
  callRoute(matterPage.action, {
    body: multipart({ intent: `update-${commitmentId}`, commitmentId: String(commitmentId), body: "进展", progress: "30", status: "in_progress" }, file),
    params: { matterId: String(matterId) },
    context: loadContext(database.db, actor),
  });
const counts = async () => ({
  updates: Number((await database.db.select({ n: count() }).from(commitmentUpdates))[0].n),
  photos: Number((await database.db.select({ n: count() }).from(commitmentPhotos))[0].n),
});

describe("photos on progress updates", () => {
  it("recognises JPEG, PNG and WebP by their bytes only", () => {
    expect(imageType(PNG)).toBe("image/png");
    expect(imageType(Uint8Array.from([...JPEG_HEAD, 1, 2]))).toBe("image/jpeg");
    expect(imageType(WEBP)).toBe("image/webp");
    expect(imageType(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeNull();
    expect(imageType(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull(); // RIFF but WAVE
    expect(imageType(new Uint8Array())).toBeNull();
  });

  it("refuses a non-image or a too-large file with a clear message beside the field, and stores nothing", async () => {
    const before = await counts();
    const html = await update({ bytes: new TextEncoder().encode("<html><script>alert(1)</script>"), name: "photo.png", type: "image/png" });
    expect(html.status).toBe(400);
    expect(html.data.result.error.photo[0]).toMatch(/^outcomes\.errors\.photoType/);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(JPEG_HEAD);
    const tooBig = await update({ bytes: big, name: "big.jpg", type: "image/jpeg" });
    expect(tooBig.status).toBe(400);
    expect(tooBig.data.result.error.photo[0]).toMatch(/^outcomes\.errors\.photoSize/);
    expect(await counts()).toEqual(before);
    const [c] = await database.db.select().from(commitments).where(eq(commitments.id, commitmentId));
    expect(c.progress).toBe(0);
  });

  it("stores a photo with its update and serves it with its sniffed type and nosniff; no file is fine too", async () => {
    const before = await counts();
    // the browser claimed JPEG; the bytes say PNG, and PNG is what is served
    expect((await update({ bytes: PNG, name: "x.jpg", type: "image/jpeg" })).status).toBe(302);
    expect((await update({ bytes: new Uint8Array(), name: "", type: "application/octet-stream" })).status).toBe(302); // an empty file input
    expect((await update()).status).toBe(302);
    expect(await counts()).toEqual({ updates: before.updates + 3, photos: before.photos + 1 });
    const [photo] = await database.db.select().from(commitmentPhotos);
    const res = await photoRoute.loader({ request: new Request("http://localhost/"), params: { updateId: String(photo.updateId) }, context: loadContext(database.db, null) } as never);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    const page = await callRoute(matterPage.loader, { params: { matterId: String(matterId) }, context: loadContext(database.db, null) });
    const updates = page.data.outcome.commitments[0].updates as { id: number; hasPhoto: boolean }[];
    expect(updates.filter((u) => u.hasPhoto).map((u) => u.id)).toEqual([photo.updateId]);
  });

  it("answers 404 for mangled ids, missing photos and photos of matters the asker may not see", async () => {
    const get = (updateId: string) => callRoute(photoRoute.loader, { params: { updateId }, context: loadContext(database.db, null) });
    expect((await get("abc")).status).toBe(404);
    expect((await get("0")).status).toBe(404);
    expect((await get("99999999")).status).toBe(404);
    const [c] = await database.db.insert(commitments).values({ matterId: draftMatterId, title: "x", responsibleUnit: "y", dueDate: "2027-01-01" }).returning();
    const [u] = await database.db.insert(commitmentUpdates).values({ commitmentId: c.id, body: "b", progress: 1, status: "planned", createdAt: new Date() }).returning();
    await database.db.insert(commitmentPhotos).values({ updateId: u.id, contentType: "image/png", bytes: PNG.length, data: Buffer.from(PNG), createdAt: new Date() });
    expect((await get(String(u.id))).status).toBe(404);
  });
});
