import { describe, expect, it } from "vitest";
import { consultationForm, matterState } from "../../../db/schema";
import { COMMAND_NAMES, CONSULTATION_FORMS, STATES, TRANSITIONS } from "./states";
import { COMMANDS } from "./lifecycle";

describe("the one list of matter states", () => {
  it("the database enum spells exactly the states the app knows, in the same order", () => {
    expect([...matterState.enumValues]).toEqual([...STATES]);
    expect([...consultationForm.enumValues]).toEqual([...CONSULTATION_FORMS]);
  });
  it("every command of the transition table has an effect in the state machine, and no other", () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const c of COMMAND_NAMES) for (const s of TRANSITIONS[c].from) expect(STATES).toContain(s);
  });
});
