import { describe, expect, test } from "vitest";
import en from "~/locales/en/common.json";
import { AUDIT_ACTIONS } from "./audit-actions.ts";
import { AUDIT_TARGET_TYPES } from "./audit.schema.ts";

/** /admin/audit shows each action's dotted name with a readable label (ADR 050): none may be missing. */
describe("the audit catalogue and its labels", () => {
  test("every action and every target kind has an English label", () => {
    const actions = en.audit.actions as Record<string, Record<string, string>>;
    const missing = Object.keys(AUDIT_ACTIONS).filter((name) => {
      const [group, what] = name.split(/\.(.*)/s) as [string, string];
      return typeof actions[group]?.[what] !== "string";
    });
    expect(missing, "add these to audit.actions in app/locales/en/common.json").toEqual([]);
    const targets = en.audit.targets as Record<string, string>;
    expect(AUDIT_TARGET_TYPES.filter((type) => typeof targets[type] !== "string")).toEqual([]);
  });

  test("every name is <target>.<what happened> in lower case", () => {
    for (const name of Object.keys(AUDIT_ACTIONS)) expect(name).toMatch(/^[a-z]+\.[a-z_]+$/);
  });
});
