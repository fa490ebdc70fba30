import { json } from "@remix-run/node";

/** Any address we do not know: a translated 404 page, never a 500. */
export const loader = () => {
  throw json({ messageKey: "errors.notFound" }, { status: 404 });
};
export const action = loader;

export default function NotFound() {
  return null;
}
