import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "~/modules/api/api-keys.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Messages from the rules reach the member in their language (ADR 071): a use case or a schema answers with a
 * catalog key, and the page that shows the error says it in the request's language. The JSON API keeps English.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let categoryId: number;
beforeAll(async () => {
  server = await startAppServer();
  const asker = await makeUser();
  // The tag exists, so a too-short body is the only thing wrong with the question below.
  categoryId = (await makeQuestion(asker.id, { tags: ["billing"] })).categoryId;
});
afterAll(() => server?.close());

const BODY_TOO_SHORT = {
  en: "Write at least 20 characters (7 in Chinese)",
  ro: "Scrie cel puțin 20 de caractere (7 în chineză).",
  "zh-Hans": "请至少写 20 个字符（中文至少 7 个字）。",
  "zh-Hant": "請至少寫 20 個字元（中文至少 7 個字）。",
} as const;

async function memberSpeaking(language: keyof typeof BODY_TOO_SHORT) {
  const member = await makeUser();
  await prisma.user.update({ where: { id: member.id }, data: { language } });
  const client = new HttpClient(server.url);
  await client.signIn(member.email, member.password);
  return { member, client };
}

describe("a refused form says why in the member's language", () => {
  test.each(["ro", "zh-Hans", "zh-Hant", "en"] as const)("asking a question with a too-short body on a %s session answers 400 with the error in that language", async (language) => {
    const { member, client } = await memberSpeaking(language);
    const response = await client.post(
      "/questions/new",
      { title: "How do I export my invoices as CSV files?", categoryId: String(categoryId), tags: "billing", bodyText: "Too short" },
      { csrf: await client.csrfToken("/questions/new") },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(`<html lang="${language}"`);
    expect(html).toContain(BODY_TOO_SHORT[language]);
    if (language !== "en") expect(html).not.toContain(BODY_TOO_SHORT.en);
    // No raw key reaches the page (a key missing from a catalog would show as itself).
    expect(html).not.toMatch(/>messages\.[\w.]+/);
    expect(await prisma.thread.count({ where: { authorId: member.id } })).toBe(0);
  });

  test("a schema's check with a count uses the language's plural forms (Romanian: 15 caractere, 20 de caractere)", async () => {
    const { client } = await memberSpeaking("ro");
    const response = await client.post(
      "/questions/new",
      { title: "Export CSV?", categoryId: String(categoryId), tags: "billing", bodyText: "Too short" },
      { csrf: await client.csrfToken("/questions/new") },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Titlul are nevoie de cel puțin 15 caractere (5 în chineză).");
    expect(html).not.toContain("The title needs");
  });

  test("a visitor's wrong password is refused in the language of their browser", async () => {
    const member = await makeUser();
    const visitor = new HttpClient(server.url);
    const headers = { "Accept-Language": "zh-TW,zh;q=0.9" };
    const csrf = await (async () => {
      const html = await (await visitor.get("/login", headers)).text();
      return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    })();
    const response = await visitor.post("/login", { email: member.email, password: "not the password at all" }, { csrf, headers });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("電子郵件或密碼不正確。");
    expect(html).not.toContain("The e-mail or password is not right.");
  });
});

describe("the JSON API keeps English", () => {
  test("the same too-short body through the API is a 400 whose field error is the English sentence, not a key", async () => {
    const member = await makeUser();
    await prisma.user.update({ where: { id: member.id }, data: { language: "ro" } });
    const made = await createApiKey({ id: member.id, role: "member", status: "active" }, { name: "CRM", scope: "write" });
    if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
    const response = await fetch(`${server.url}/api/v1/questions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${made.value.token}`, "Content-Type": "application/json", "Accept-Language": "ro" },
      body: JSON.stringify({ title: "How do I export my invoices as CSV files?", categoryId, tags: ["billing"], body: JSON.parse(docJson("Too short")) as object }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors?: Record<string, string[]> };
    expect(problem.errors?.body).toEqual([BODY_TOO_SHORT.en]);
  });
});
