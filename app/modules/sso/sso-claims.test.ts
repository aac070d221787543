import { expect, test } from "vitest";
import { Handle } from "~/modules/users/users.schema.ts";
import { displayNameFromClaims, handleBaseFromClaims, roleFromClaims } from "./sso-claims.ts";

test("handles made from provider claims are valid handles in every script", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ preferred_username: "Ana.Ștefănescu" }, "ana-stefanescu"],
    [{ email: "ion.popescu+forum@example.ro" }, "ion-popescu-forum"],
    [{ preferred_username: "王小明", email: "王小明@example.cn", name: "王小明" }, "member"],
    [{ preferred_username: "--", name: "Zoë O'Brien" }, "zoe-o-brien"],
    [{ preferred_username: "x".repeat(80) }, "x".repeat(24)],
    [{ preferred_username: "<script>alert(1)</script>" }, "script-alert-1-script"],
    [{}, "member"],
  ];
  for (const [claims, handle] of cases) {
    expect(handleBaseFromClaims(claims), JSON.stringify(claims)).toBe(handle);
    expect(Handle.safeParse(`${handle}-12`).success, handle).toBe(true);
  }
});

test("display names keep any script but lose control and format characters", () => {
  expect(displayNameFromClaims({ name: "李美" }, "member")).toBe("李美");
  expect(displayNameFromClaims({ name: "Ana\u0000\u202e Ștefănescu\n" }, "member")).toBe("Ana Ștefănescu");
  expect(displayNameFromClaims({ name: "\u200b" }, "fallback")).toBe("fallback");
  expect([...displayNameFromClaims({ name: "名".repeat(100) }, "x")]).toHaveLength(60);
});

test("a role follows the mapped claim, admin only when mapped, and roles the map does not manage stay", () => {
  const map = new Map([["forum-mods", "moderator"], ["support", "staff"]] as const);
  expect(roleFromClaims({ groups: ["support", "forum-mods"] }, "groups", new Map(map), "member")).toBe("staff");
  expect(roleFromClaims({ groups: "forum-mods" }, "groups", new Map(map), "member")).toBe("moderator");
  expect(roleFromClaims({ groups: ["admins"] }, "groups", new Map(map), "member")).toBe("member");
  expect(roleFromClaims({ groups: ["forum-mods"] }, "groups", new Map(map), "admin")).toBeNull();
  expect(roleFromClaims({ groups: ["admins"] }, "groups", new Map([["admins", "admin"]] as const), "member")).toBe("admin");
  expect(roleFromClaims({ groups: ["support"] }, null, new Map(map), "member")).toBeNull();
});
