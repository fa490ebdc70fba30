/** The maintenance connection: same server, database "postgres". */
export function adminUrl(url: string) {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
}

export function templateName() {
  return `yishi_tmpl_${process.pid}`;
}
