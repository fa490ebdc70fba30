import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { requirePermission } from "~/web/guards.server";
import { titleMeta } from "~/i18n/meta";

export const meta = titleMeta("admin.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "admin.enter", { type: "site" });
  return json({});
}

export default function AdminHome() {
  const t = useT();
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <ul className="card-list">
        <li>
          <Link to="/admin/areas">{t("admin.areas")}</Link>
        </li>
        <li>
          <Link to="/admin/roles">{t("admin.appoint")}</Link>
        </li>
        <li>
          <Link to="/admin/volunteer-rules">{t("volunteers.rules.title")}</Link>
        </li>
        <li>
          <Link to="/admin/ledger">{t("admin.ledger")}</Link>
        </li>
        <li>
          <Link to="/admin/deliveries">{t("deliveries.title")}</Link>
        </li>
      </ul>
    </>
  );
}
