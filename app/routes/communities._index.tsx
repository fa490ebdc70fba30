import { redirect } from "@remix-run/node";

/** The directory lives on the home page; this keeps /communities a real address. */
export const loader = () => redirect("/#all");
