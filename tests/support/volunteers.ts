import type { Db } from "../../db/client";
import { users, volunteers } from "../../db/schema";
import type { Actor } from "../../app/modules/accounts/actor";
import { checkCharacter } from "../../app/modules/volunteers/id-number";
import { encryptIdNumber, idNumberHmac, volunteerKeys } from "../../app/modules/volunteers/keys.server";
import { appointOrganizer, createTeam } from "../../app/modules/volunteers/volunteers.server";
import type { Clock } from "../../app/modules/shared/clock";
import { actorOf, context, grant, makeTree, makeUser } from "./factories";

let seq = 0;

/** A valid ID number no real person has: a fixed region, a birth date, a running sequence. */
export function volunteerIdNumber(n: number, birth = "19900307") {
  const k = Math.floor(n / 100) % 5;
  const serial = String(n % 100).padStart(2, "0") + String(1 + 2 * k);
  const region = String(120100 + Math.floor(n / 500)).padStart(6, "0");
  const first17 = region + birth + serial;
  return first17 + checkCharacter(first17);
}

/** Many registered volunteers at once, written directly (registration is tested on its own). */
export async function makeVolunteers(db: Db, n: number, communityId: number, consentAt: Date) {
  const tag = `${process.pid}_${++seq}`;
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ username: `tv_${tag}_${i}`, displayName: `志愿者${i}`, passwordHash: "x" })))
    .returning({ id: users.id });
  const vs = await db
    .insert(volunteers)
    .values(
      rows.map((r, i) => {
        const id = volunteerIdNumber(200_000 + seq * 1000 + i);
        return {
          userId: r.id,
          volunteerNumber: `TV${r.id}`,
          realName: `志愿者${i}`,
          sex: "male" as const,
          birthDate: "1990-03-07",
          idCipher: encryptIdNumber(id, volunteerKeys(undefined)),
          idHmac: idNumberHmac(id, volunteerKeys(undefined)),
          idMasked: "1201**********0000",
          communityId,
          contact: `139${String(r.id).padStart(8, "0")}`,
          skills: [],
          serviceTypes: ["other"],
          consentAt,
        };
      }),
    )
    .returning({ id: volunteers.id, userId: volunteers.userId, volunteerNumber: volunteers.volunteerNumber, contact: volunteers.contact });
  return vs.map((v) => ({ ...v, actor: { id: v.userId, displayName: "v", roles: [], memberships: [] } as Actor }));
}
export type TestVolunteer = Awaited<ReturnType<typeof makeVolunteers>>[number];

/** A county tree with a team in community a1, its organizer, the committee and a county admin. */
export async function volunteerWorld(db: Db, clock: Clock) {
  const tree = await makeTree(db);
  const c = await makeUser(db, { name: "陈书记" });
  await grant(db, c.id, "committee", tree.a1.id);
  const committee = await actorOf(db, c.id);
  const ctxOf = (a: Actor | null, cl: Clock = clock) => context(db, a, cl).ctx;
  const team = await createTeam(ctxOf(committee), { areaId: tree.a1.id, name: `幸福里志愿队${++seq}` });
  const o = await makeUser(db, { username: `org_${process.pid}_${seq}` });
  await appointOrganizer(ctxOf(committee), team.id, `org_${process.pid}_${seq}`);
  const organizer = await actorOf(db, o.id);
  const ca = await makeUser(db);
  await grant(db, ca.id, "county_admin", tree.county.id);
  const countyAdmin = await actorOf(db, ca.id);
  return { tree, committee, organizer, countyAdmin, teamId: team.id, ctxOf };
}
