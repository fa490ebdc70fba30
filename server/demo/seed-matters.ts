/**
 * The demo's matters, each driven to its stage through the app's own commands (the same
 * timeline, ledger entries and notifications a real community would leave), on a story clock
 * that starts weeks before the seed's "now" and only moves forward. Whatever must still lie
 * ahead on the day of seeding (the vote's close, the room's session, the registration deadline,
 * the rating window) is set relative to that "now".
 */
import { and, asc, eq } from "drizzle-orm";
import { decideMembership, requestMembership } from "../../app/modules/communities/communities.server";
import { cosignMatter } from "../../app/modules/matters/cosign.server";
import { createDraft } from "../../app/modules/matters/proposals.server";
import { publishMaterials, runMatterCommand } from "../../app/modules/matters/review.server";
import type { MatterCommandInput } from "../../app/modules/matters/schemas";
import { assignOwner, rateMatter, recordOutcome, updateCommitment } from "../../app/modules/matters/outcomes/outcomes.server";
import { RecordOutcomeSchema } from "../../app/modules/matters/outcomes/schemas";
import { scheduleSession } from "../../app/modules/matters/room/agenda.server";
import { PlanSchema } from "../../app/modules/matters/selection/plan-schema.server";
import { savePlan } from "../../app/modules/matters/selection/plan.server";
import { registerInterest } from "../../app/modules/matters/selection/registration.server";
import { castBallot } from "../../app/modules/matters/voting/cast.server";
import { closeVote } from "../../app/modules/matters/voting/close.server";
import { newBallotKey } from "../../app/modules/matters/voting/receipts.server";
import { openVote } from "../../app/modules/matters/voting/setup.server";
import { CreateVoteSchema } from "../../app/modules/matters/voting/schemas";
import type { Clock } from "../../app/modules/shared/clock";
import type { CommandContext } from "../../app/modules/shared/context";
import { EventBus } from "../../app/modules/shared/events";
import type { Db } from "../../db/client";
import { commitments, memberships } from "../../db/schema";
import { actorOf, beijingAt, beijingDateOf, beijingField, DAY, DEMO_MATTERS, DEMO_RESIDENTS, HOUR, storyClock } from "./seed-story";

type Step = { at: number; run: () => Promise<void> };

/**
 * Runs the demo's story in 幸福里社区. Each matter's steps are written together below; they are
 * then run in the order of their times, so the timelines and the ledger read forwards across
 * matters as they would in a real community.
 */
export async function seedMatters(tx: Db, now: Date, c1: { id: number }, categoryIds: number[], userIds: Record<string, number>) {
  const story = storyClock(new Date(now.getTime() - 46 * DAY));
  const steps: Step[] = [];
  /** Schedules `run` at `days` from now (negative: before) plus `hours`. */
  const when = (days: number, hours: number, run: () => Promise<void>) => steps.push({ at: now.getTime() + days * DAY + hours * HOUR, run });
  const as = async (login: string | null): Promise<CommandContext> => ({
    db: tx,
    actor: login ? await actorOf(tx, userIds[login]) : null,
    events: new EventBus(),
    clock: story as Clock,
  });
  const committee = "committee_a";
  const ids: Record<keyof typeof DEMO_MATTERS, number> = { completed: 0, implementing: 0, voting: 0, scheduled: 0, selecting: 0, collecting: 0 };

  const command = async (login: string, matterId: number, input: MatterCommandInput) => runMatterCommand(await as(login), matterId, input);
  const propose = async (login: string, d: { title: string; description: string; category: number; affectedArea: string; desiredOutcome: string }) => {
    const { id } = await createDraft(await as(login), c1.id, { title: d.title, description: d.description, categoryId: categoryIds[d.category], affectedArea: d.affectedArea, desiredOutcome: d.desiredOutcome });
    await command(login, id, { command: "submit" });
    return id;
  };
  const cosign = async (matterId: number, logins: string[]) => {
    for (const l of logins) await cosignMatter(await as(l), matterId);
  };
  const ballots = async (voteId: number, choices: [string, string][]) => {
    for (const [login, choice] of choices) await castBallot(await as(login), voteId, { choices: [choice], idem: newBallotKey() });
  };
  const commitmentsOf = (matterId: number) => tx.select().from(commitments).where(eq(commitments.matterId, matterId)).orderBy(asc(commitments.id));
  /**
   * A residents' meeting: on `day` accepted, materials published and the meeting set four days
   * on, when (at noon) the meeting opens and a secret residents' vote opens,
   * closing at 20:00 on `closesDay`; the next day's residents cast `cast`.
   */
  const residentsMeeting = (key: "completed" | "implementing", day: number, question: string, closesDay: number, cast: [string, string][]) => {
    when(day, 0, async () => {
      await command(committee, ids[key], { command: "accept", form: "meeting" });
      await publishMaterials(await as(committee), ids[key], { title: "情况说明与初步方案", body: "居委会会同物业实地查看后整理的情况说明、费用估算和可选方案，请居民在协商前查阅。" });
      await command(committee, ids[key], { command: "schedule", scheduledFor: beijingAt(now, day + 4, "19:30") });
    });
    let vote = 0;
    when(day + 4, 12, async () => {
      await command(committee, ids[key], { command: "openDeliberation" });
      const v = await openVote(
        await as(committee),
        ids[key],
        CreateVoteSchema.parse({ question, method: "yes_no", electorate: "residents", preset: "residents_meeting", secret: "yes", closesAt: beijingField(beijingAt(now, closesDay, "20:00")) }),
      );
      vote = v.id;
    });
    when(day + 5, 0, () => ballots(vote, cast));
    // the scheduler closes the vote the day after its closing time at the latest
    when(closesDay + 1, 0, async () => {
      await closeVote(await as(null), vote, "system");
    });
  };

  // ---- 幸福里社区's residents ask to join and the committee verifies them (李大爷 still waits)
  when(-46, 0, async () => {
    for (const r of DEMO_RESIDENTS) await requestMembership(await as(r.login), c1.id, { address: r.address, birthYear: 1950 + ((Number(r.login.slice(-2)) * 7) % 45) });
  });
  when(-45, 0, async () => {
    for (const r of DEMO_RESIDENTS) {
      const [m] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, userIds[r.login]), eq(memberships.communityId, c1.id)));
      await decideMembership(await as(committee), { decision: "verify", membershipId: m.id });
    }
  });

  // ---- completed and being rated: co-signed to the threshold, voted on, carried out
  when(-44, 0, async () => {
    ids.completed = await propose("13800000004", {
      title: DEMO_MATTERS.completed,
      description: "小区北侧垃圾站夏天异味很重，一楼住户不敢开窗，傍晚清运前尤其明显。",
      category: 3,
      affectedArea: "北侧垃圾站",
      desiredOutcome: "加装除臭设备，增加清运次数。",
    });
  });
  when(-43, 0, () => cosign(ids.completed, ["13800000001", "13800000005", "13800000006", "13800000007", "13800000008", "13800000009", "13800000010", "13800000011", "13800000012", "13800000013"]));
  residentsMeeting(
    "completed",
    -42,
    "是否同意加装除臭设备并将垃圾清运改为每日两次？",
    -31,
    [
      ["13800000001", "yes"],
      ["13800000004", "yes"],
      ["13800000005", "yes"],
      ["13800000007", "yes"],
      ["13800000008", "no"],
      ["13800000010", "yes"],
      ["13800000011", "yes"],
      ["13800000013", "abstain"],
      ["13800000014", "yes"],
    ],
  );
  when(-30, 1, async () => {
    await recordOutcome(
      await as(committee),
      ids.completed,
      RecordOutcomeSchema.parse({
        decision: "居民会议表决通过：垃圾站加装除臭设备，清运改为每日早晚两次。",
        commitments: [
          { title: "垃圾站加装喷淋除臭设备", responsibleUnit: "城关镇环卫所", dueDate: beijingDateOf(now, -7) },
          { title: "垃圾清运改为每日早晚两次", responsibleUnit: "幸福里物业服务中心", dueDate: beijingDateOf(now, -3) },
        ],
      }),
    );
  });
  const progress = (key: keyof typeof DEMO_MATTERS, index: number, login: string, body: string, percent: number, status: "in_progress" | "done") => async () => {
    const c = (await commitmentsOf(ids[key]))[index];
    await updateCommitment(await as(login), { commitmentId: c.id, body, progress: percent, status });
  };
  when(-20, 0, progress("completed", 0, committee, "设备已到货，正在安装管路。", 50, "in_progress"));
  when(-8, 0, progress("completed", 0, committee, "除臭设备安装调试完毕，已投入使用。", 100, "done"));
  // the last commitment done: the matter completes and the residents' rating opens for 14 days
  when(-4, 0, progress("completed", 1, committee, "物业已调整排班，每天 7 点和 18 点各清运一次。", 100, "done"));
  when(-3, 0, async () => {
    const scores: [string, number, string?][] = [
      ["13800000004", 5, "现在基本闻不到味道了，谢谢居委会。"],
      ["13800000001", 4],
      ["13800000005", 4, "傍晚还有一点味道，总体好多了。"],
      ["13800000008", 3],
      ["13800000010", 5],
      ["13800000011", 4],
    ];
    for (const [login, score, comment] of scores) await rateMatter(await as(login), ids.completed, { score, comment });
  });

  // ---- implementing: two commitments, one with an owner (organizer_a) posting progress
  when(-29, 0, async () => {
    ids.implementing = await propose("13800000005", {
      title: DEMO_MATTERS.implementing,
      description: "小区中心花园的滑梯开裂、秋千链条生锈，孩子玩耍时有安全隐患。",
      category: 1,
      affectedArea: "中心花园儿童游乐区",
      desiredOutcome: "更换滑梯和秋千，铺设防摔地垫。",
    });
  });
  when(-28, 0, () => cosign(ids.implementing, ["13800000001", "13800000006", "13800000007", "13800000008", "13800000009", "13800000011", "13800000012", "13800000013", "13800000014", "13800000015"]));
  residentsMeeting(
    "implementing",
    -27,
    "是否同意使用社区公益金更换儿童游乐设施？",
    -18,
    [
      ["13800000001", "yes"],
      ["13800000005", "yes"],
      ["13800000006", "yes"],
      ["13800000007", "yes"],
      ["13800000009", "yes"],
      ["13800000012", "no"],
      ["13800000014", "yes"],
      ["13800000015", "yes"],
    ],
  );
  when(-17, 2, async () => {
    await recordOutcome(
      await as(committee),
      ids.implementing,
      RecordOutcomeSchema.parse({
        decision: "居民会议表决通过：使用社区公益金更换滑梯和秋千，并铺设防摔地垫。",
        commitments: [
          { title: "更换滑梯和秋千", responsibleUnit: "幸福里社区居委会", dueDate: beijingDateOf(now, 20) },
          { title: "游乐区铺设防摔地垫", responsibleUnit: "幸福里物业服务中心", dueDate: beijingDateOf(now, 35) },
        ],
      }),
    );
    const [slide] = await commitmentsOf(ids.implementing);
    await assignOwner(await as(committee), ids.implementing, { commitmentId: slide.id, owner: { kind: "username", value: "organizer_a" } });
  });
  when(-10, 2, progress("implementing", 0, "organizer_a", "已比选三家供应商，新滑梯和秋千已下单。", 40, "in_progress"));

  // ---- vote open: a household vote (一事一议) the committee proposed, closing 7 days from now
  when(-16, 0, async () => {
    ids.voting = await propose(committee, {
      title: DEMO_MATTERS.voting,
      description: "4 号楼到 6 号楼之间的道路多处坑洼，雨天积水，老人和电动车容易摔倒。修补费用按一事一议由受益住户筹资，财政奖补一部分。",
      category: 0,
      affectedArea: "4 号楼至 6 号楼道路",
      desiredOutcome: "修补路面，每户筹资不超过 50 元。",
    });
  });
  when(-15, 0, async () => {
    await command(committee, ids.voting, { command: "accept", form: "household_vote" });
    await publishMaterials(await as(committee), ids.voting, { title: "筹资方案与费用测算", body: "修补面积约 320 平方米，总费用约 4.8 万元，财政奖补 50%，其余按户均摊，每户约 45 元。" });
    await command(committee, ids.voting, { command: "schedule", scheduledFor: beijingAt(now, -10, "09:00") });
  });
  when(-1, 0, async () => {
    const v = await openVote(
      await as(committee),
      ids.voting,
      CreateVoteSchema.parse({
        question: "是否同意按一事一议方案修补道路，每户筹资约 45 元？",
        method: "yes_no",
        electorate: "households",
        preset: "one_matter_households",
        secret: "no",
        closesAt: beijingField(new Date(now.getTime() + 7 * DAY)),
      }),
    );
    await ballots(v.id, [
      ["13800000005", "yes"],
      ["13800000008", "yes"],
      ["13800000010", "no"],
      ["13800000012", "yes"],
    ]);
  });

  // ---- room scheduled: a residents' meeting five days from now, with its agenda
  when(-12, 0, async () => {
    ids.scheduled = await propose(committee, {
      title: DEMO_MATTERS.scheduled,
      description: "东门电动车乱停，挡住消防通道，晚上还有人私拉电线充电。",
      category: 1,
      affectedArea: "东门",
      desiredOutcome: "在东门内侧建一个带充电桩的停车棚。",
    });
  });
  when(-11, 0, () => command(committee, ids.scheduled, { command: "accept", form: "meeting" }).then(() => {}));
  when(-2, 0, async () => {
    await publishMaterials(await as(committee), ids.scheduled, { title: "停车棚选址示意图与报价", body: "拟在东门内侧绿化带旁建 60 个车位的停车棚，配 20 个充电口；两家施工单位报价附后。" });
    const meetingAt = beijingAt(now, 5, "19:30");
    await command(committee, ids.scheduled, { command: "schedule", scheduledFor: meetingAt });
    await scheduleSession(await as(committee), ids.scheduled, {
      scheduledAt: meetingAt,
      place: "社区活动中心二楼会议室",
      moderatorId: undefined,
      items: [
        { title: "居委会介绍选址和报价", minutes: 10 },
        { title: "居民发言讨论", minutes: 40 },
        { title: "形成意见，确定是否表决", minutes: 10 },
      ],
    });
  });

  // ---- selection open: a panel of six drawn by lot, registration open ten more days
  when(-9, 0, async () => {
    ids.selecting = await propose("13800000007", {
      title: DEMO_MATTERS.selecting,
      description: "社区计划新建一处养老服务站，候选地点有两处，各有利弊，希望由抽签产生的居民代表议一议。",
      category: 0,
      affectedArea: "全社区",
      desiredOutcome: "由居民代表比较两处选址，提出建议。",
    });
  });
  when(-8, 0, () => cosign(ids.selecting, ["13800000001", "13800000004", "13800000005", "13800000006", "13800000008", "13800000009", "13800000010", "13800000011", "13800000013", "13800000014"]));
  when(-7, 0, async () => {
    await command(committee, ids.selecting, { command: "accept", form: "panel" });
    await command(committee, ids.selecting, { command: "openSelection" });
    await savePlan(
      await as(committee),
      ids.selecting,
      PlanSchema.parse({
        panelSize: "6",
        onePerHousehold: "on",
        registrationDeadline: beijingField(beijingAt(now, 10, "20:00")),
        responseDays: "3",
        quotas: "性别,女,2,4\n性别,男,2,4\n年龄,60 岁及以上,1,4\n年龄,60 岁以下,2,5",
      }),
    );
  });
  when(-6, 0, async () => {
    const interest: [string, string, string][] = [
      ["13800000004", "男", "60 岁以下"],
      ["13800000005", "女", "60 岁及以上"],
      ["13800000008", "男", "60 岁以下"],
      ["13800000011", "女", "60 岁及以上"],
      ["13800000012", "女", "60 岁以下"],
      ["13800000013", "男", "60 岁及以上"],
      ["13800000015", "男", "60 岁以下"],
    ];
    for (const [login, sex, age] of interest) await registerInterest(await as(login), ids.selecting, { 性别: sex, 年龄: age });
  });

  // ---- collecting: 8 of 10 co-signs, so a newcomer's co-sign and one more send it to review
  when(-5, 0, async () => {
    ids.collecting = await propose("13800000001", {
      title: DEMO_MATTERS.collecting,
      description: "上个月电梯停了五次，三楼以上的老人下不了楼。",
      category: 2,
      affectedArea: "3 号楼",
      desiredOutcome: "更换电梯主板，建立维保公示。",
    });
  });
  ["13800000004", "13800000005", "13800000006", "13800000007", "13800000008", "13800000009", "13800000010", "13800000011"].forEach((login, i) => {
    when(-4, i * 10, () => cosign(ids.collecting, [login]));
  });

  // in time order (a stable sort keeps the order written for steps at the same moment)
  steps.sort((a, b) => a.at - b.at);
  for (const s of steps) {
    story.to(new Date(s.at));
    await s.run();
  }
  // what the seed writes after the story is written at its own now
  story.to(now);
  return ids;
}
