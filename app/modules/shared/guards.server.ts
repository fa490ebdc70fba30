// TODO(issue 16): a bridge for routes other work on issue 16 is changing; they move to ~/web/guards.server, then this goes.
export * from "~/web/guards.server";
