import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { translate } from "~/i18n";
import { listAreas } from "~/modules/communities/communities.server";
import { getHome, type HomeTask } from "~/modules/matters/home.server";
import { commandContext } from "~/web/http.server";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translate(data?.locale ?? "zh-CN", "home.title") }];

export async function loader({ context }: LoaderFunctionArgs) {
  const [areas, home] = await Promise.all([listAreas(commandContext(context)), getHome(commandContext(context))]);
  const mine = new Map((context.actor?.memberships ?? []).map((m) => [m.communityId, m.status]));
  return json({
    locale: context.locale,
    areas: areas.map((a) => ({ id: a.id, name: a.name, kind: a.kind, depth: a.path.split("/").filter(Boolean).length - 1, communityType: a.communityType })),
    home,
    mine: [...mine.entries()].map(([id, status]) => ({ id, status, name: areas.find((a) => a.id === id)?.name ?? "" })),
  });
}

function taskText(t: ReturnType<typeof useT>, task: HomeTask) {
  switch (task.kind) {
    case "verify":
      return t("home.task.verify", { community: task.community, count: task.count });
    case "review":
      return t("home.task.review", { title: task.title, community: task.community });
    case "invitationsUnanswered":
      return t("home.task.invitationsUnanswered", { title: task.title, count: task.count });
    case "voteToClose":
      return t(task.due ? "home.task.voteDue" : "home.task.voteToClose", { question: task.question });
    case "overdue":
      return t("home.task.overdue", { title: task.title, due: task.due });
    case "recordsToConfirm":
      return t("home.task.recordsToConfirm", { title: task.title, count: task.count });
  }
}

export default function Home() {
  const t = useT();
  const { areas, mine, home } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const staff = !!home && (home.staffCommunities.length > 0 || home.tasks.length > 0);
  const forYou = home ? home.collecting.length + home.votes.length + home.invitations.length : 0;
  return (
    <>
      <h1>{root?.user ? t("home.welcome", { name: root.user.name }) : t("home.title")}</h1>
      {root?.user ? null : <p>{t("home.intro")}</p>}
      {home && staff ? (
        <section aria-labelledby="todo">
          <h2 id="todo">{t("home.todo")}</h2>
          {home.tasks.length === 0 ? (
            <p>{t("home.todoNone")}</p>
          ) : (
            <ul className="card-list task-list">
              {home.tasks.map((task) => (
                <li key={task.link + task.kind}>
                  <Link to={task.link}>{taskText(t, task)}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {home && (forYou > 0 || mine.some((m) => m.status === "verified")) ? (
        <section aria-labelledby="for-you">
          <h2 id="for-you">{t("home.forYou")}</h2>
          {forYou === 0 ? <p>{t("home.forYouNone")}</p> : null}
          <ul className="card-list task-list">
            {home.invitations.map((i) => (
              <li key={`i${i.matterId}`}>
                <Link to={i.link}>{t("home.invitationItem", { title: i.title, by: t.time(i.respondBy) })}</Link>
              </li>
            ))}
            {home.votes.map((v) => (
              <li key={`v${v.id}`}>
                <Link to={v.link}>{v.closesAt ? t("home.voteItemCloses", { question: v.question, matter: v.matterTitle, time: t.time(v.closesAt) }) : t("home.voteItem", { question: v.question, matter: v.matterTitle })}</Link>
              </li>
            ))}
            {home.collecting.map((m) => (
              <li key={`m${m.id}`}>
                <Link to={m.link}>{t("home.collectingItem", { title: m.title, community: m.community, count: m.cosignCount, threshold: m.threshold ?? "?" })}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {home && staff ? (
        <section aria-labelledby="staff-communities">
          <h2 id="staff-communities">{t("home.staffCommunities")}</h2>
          <ul className="card-list">
            {home.staffCommunities.map((c) => (
              <li key={c.id}>
                <Link to={c.link}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {root?.user && !(staff && mine.length === 0) ? (
        <section aria-labelledby="mine">
          <h2 id="mine">{t("home.yourCommunities")}</h2>
          {mine.length === 0 ? (
            <p>{t("home.noCommunities")}</p>
          ) : (
            <ul className="card-list">
              {mine.map((m) => (
                <li key={m.id}>
                  <Link to={`/communities/${m.id}`}>{m.name}</Link>{" "}
                  <span className="tag">{m.status === "verified" ? t("role.verified") : m.status === "pending" ? t("community.status.pending") : t("role.resident")}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <section aria-labelledby="all">
        <h2 id="all">{t("home.communities")}</h2>
        <ul className="card-list area-tree">
          {areas.map((a) => (
            <li key={a.id} className={`depth-${a.depth}`}>
              <Link to={`/communities/${a.id}`}>{a.name}</Link>{" "}
              <span className="muted">{a.kind === "community" ? t(`community.type.${a.communityType ?? "urban"}`) : t(`community.kind.${a.kind}`)}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
