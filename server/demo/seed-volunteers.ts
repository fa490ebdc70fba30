import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { appendLedger } from "../../app/modules/ledger/ledger.server";
import { checkCharacter, maskIdNumber } from "../../app/modules/volunteers/id-number";
import { encryptIdNumber, idNumberHmac, type Keys } from "../../app/modules/volunteers/keys.server";
import { beijingDay } from "../../app/modules/shared/beijing-time";
import type { Db } from "../../db/client";
import { activitySignups, attendance, serviceRecords, teamOrganizers, volunteerActivities, volunteerTeams, volunteers } from "../../db/schema";

/** A made-up, well-formed ID number (region 110101, the given birth date and serial): nobody's real one. */
function demoId(birth: string, serial: string) {
  const first17 = `110101${birth.replace(/-/g, "")}${serial}`;
  return first17 + checkCharacter(first17);
}

/**
 * Demo volunteering in 幸福里社区: the team 幸福里志愿队 run by organizer_a, 王阿姨 and 孙大姐
 * registered as volunteers, one past activity with a confirmed record and one coming up.
 */
export async function seedVolunteers(tx: Db, now: Date, c1: { id: number }, userIds: Record<string, number>, keys: Keys) {
  const [team] = await tx.insert(volunteerTeams).values({ areaId: c1.id, name: "幸福里志愿队", description: "楼道清扫、助老陪伴、防疫宣传", createdBy: userIds.committee_a }).returning();
  await tx.insert(teamOrganizers).values({ teamId: team.id, userId: userIds.organizer_a, appointedBy: userIds.committee_a, appointedAt: now });
  const people = [
    { login: "13800000001", name: "王秀兰", sex: "female" as const, birth: "1958-04-12", serial: "024", party: true },
    { login: "13800000003", name: "孙桂芳", sex: "female" as const, birth: "1966-09-30", serial: "046", party: false },
  ];
  const ids: number[] = [];
  for (const p of people) {
    const id = demoId(p.birth, p.serial);
    const [v] = await tx
      .insert(volunteers)
      .values({
        userId: userIds[p.login],
        realName: p.name,
        sex: p.sex,
        birthDate: p.birth,
        idCipher: encryptIdNumber(id, keys),
        idHmac: idNumberHmac(id, keys),
        idMasked: maskIdNumber(id),
        communityId: c1.id,
        contact: p.login,
        skills: ["包饺子", "手工"],
        serviceTypes: ["elderly", "environment"],
        availability: "周末上午",
        partyMember: p.party,
        honourOptIn: true,
        consentAt: now,
      })
      .returning({ id: volunteers.id });
    await tx.update(volunteers).set({ volunteerNumber: `ZY${now.getUTCFullYear()}${String(v.id).padStart(6, "0")}` }).where(eq(volunteers.id, v.id));
    ids.push(v.id);
  }
  const day = 86_400_000;
  const past = { start: new Date(now.getTime() - 3 * day), end: new Date(now.getTime() - 3 * day + 3 * 3_600_000) };
  const [done] = await tx
    .insert(volunteerActivities)
    .values({ teamId: team.id, title: "重阳节陪老人包饺子", content: "到独居老人家中包饺子、聊天", place: "社区活动中心", startsAt: past.start, endsAt: past.end, capacity: 10, personInCharge: "周队长", codeSecret: randomBytes(32).toString("hex"), createdBy: userIds.organizer_a })
    .returning();
  await tx.insert(activitySignups).values({ activityId: done.id, volunteerId: ids[0], status: "signed_up", createdAt: past.start, updatedAt: past.start });
  await tx.insert(attendance).values({ activityId: done.id, volunteerId: ids[0], checkInAt: past.start, checkInMethod: "manual", checkOutAt: past.end, checkOutMethod: "manual", markedBy: userIds.organizer_a });
  await tx.insert(serviceRecords).values({
    activityId: done.id,
    volunteerId: ids[0],
    teamId: team.id,
    serviceDate: beijingDay(past.start),
    minutes: 180,
    status: "confirmed",
    evaluation: "耐心细致",
    organiser: team.name,
    personInCharge: "周队长",
    confirmedBy: userIds.organizer_a,
    confirmedAt: now,
    createdAt: now,
  });
  const next = new Date(now.getTime() + 5 * day);
  await tx.insert(volunteerActivities).values({
    teamId: team.id,
    title: "周末楼道清扫",
    content: "清扫 3 号楼、5 号楼楼道，清理小广告",
    place: "3 号楼门口集合",
    startsAt: next,
    endsAt: new Date(next.getTime() + 2 * 3_600_000),
    capacity: 10,
    personInCharge: "周队长",
    codeSecret: randomBytes(32).toString("hex"),
    createdBy: userIds.organizer_a,
  });
  await appendLedger(tx, { stream: `area:${c1.id}`, actorId: null, action: "team.created", entityType: "volunteer_team", entityId: team.id, summary: { after: { name: team.name }, seed: true }, at: now });
}
