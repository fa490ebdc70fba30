import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { translate } from "~/i18n";
import { listAreas } from "~/modules/communities/communities.server";
import { commandContext } from "~/web/http.server";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translate(data?.locale ?? "zh-CN", "home.title") }];

export async function loader({ context }: LoaderFunctionArgs) {
  const areas = await listAreas(commandContext(context));
  const mine = new Map((context.actor?.memberships ?? []).map((m) => [m.communityId, m.status]));
  return json({
    locale: context.locale,
    areas: areas.map((a) => ({ id: a.id, name: a.name, kind: a.kind, depth: a.path.split("/").filter(Boolean).length - 1, communityType: a.communityType })),
    mine: [...mine.entries()].map(([id, status]) => ({ id, status, name: areas.find((a) => a.id === id)?.name ?? "" })),
  });
}

export default function Home() {
  const t = useT();
  const { areas, mine } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return (
    <>
      <h1>{root?.user ? t("home.welcome", { name: root.user.name }) : t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      {root?.pendingReviews ? (
        <div className="notice">
          <p>{t("home.staffTasks", { count: root.pendingReviews })}</p>
        </div>
      ) : null}
      {root?.user ? (
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
