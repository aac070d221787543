import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendDigests, sendNotificationEmail } from "~/modules/notifications/send-notification-mail.server.ts";
import { storeDeliveries } from "~/modules/notifications/notification-settings.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { drainEvents, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";
import { readMailbox, startMailCapture } from "../support/mail-capture.ts";

/**
 * Languages (issue 21, ADR 055): the page's language comes from the member's setting, else the
 * switcher's cookie, else Accept-Language, else English; the footer switcher is a CSRF-checked POST;
 * the anonymous page cache never serves one language's page to another; e-mails are written in the
 * recipient's language.
 */
const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-languages-mail-"));
const capture = await startMailCapture(mailbox, 0);
process.env.SMTP_URL = `smtp://127.0.0.1:${capture.port}`;
process.env.APP_URL = "https://support.example.com";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer({ pageCacheSeconds: 30 });
});
afterAll(async () => {
  await server?.close();
  await capture.close();
  fs.rmSync(mailbox, { recursive: true, force: true });
});

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
/** The sign-in link of the header: a short, stable interface text in each language. */
const SIGN_IN = { en: ">Sign in<", ro: ">Autentificare<", "zh-Hans": ">登录<", "zh-Hant": ">登入<" } as const;

async function page(client: HttpClient, pathname: string, headers: Record<string, string> = {}) {
  const response = await client.get(pathname, headers);
  return { response, html: await response.text() };
}

describe("the page's language", () => {
  test.each([
    ["zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"],
    ["zh-HK", "zh-Hant"],
    ["zh-Hant-TW", "zh-Hant"],
    ["zh-CN,zh;q=0.9", "zh-Hans"],
    ["zh", "zh-Hans"],
    ["zh-SG", "zh-Hans"],
    ["ro-RO,ro;q=0.9,en-US;q=0.8", "ro"],
    ["en-GB", "en"],
    ["de-DE, ro;q=0.5", "ro"],
    ["en;q=0.2, ro;q=0.9", "ro"],
  ] as const)("Accept-Language %s gives %s, with the interface in it", async (header, lang) => {
    const { response, html } = await page(new HttpClient(server.url), "/questions", { "Accept-Language": header });
    expect(response.status).toBe(200);
    expect(htmlLang(html)).toBe(lang);
    expect(response.headers.get("content-language")).toBe(lang);
    expect(response.headers.get("vary")).toMatch(/Accept-Language/i);
    expect(html).toContain(SIGN_IN[lang]);
  });

  test.each(["xx-YY", "klingon, tlh;q=0.9", "*", ";;;,,,q=abc", "zh-Latn-x-private-!!", "\u00e9\u00e9", ""])("an unknown or malformed Accept-Language (%j) is English, with no error", async (header) => {
    const { response, html } = await page(new HttpClient(server.url), "/questions", { "Accept-Language": header });
    expect(response.status).toBe(200);
    expect(htmlLang(html)).toBe("en");
    expect(html).toContain(SIGN_IN.en);
  });

  test.each([
    ["ro", "/categories", "Categorii | Threadwise"],
    ["ro", "/tags", "Etichete | Threadwise"],
    ["zh-CN", "/categories", "分类 | Threadwise"],
    ["zh-CN", "/tags", "标签 | Threadwise"],
  ] as const)("with Accept-Language %s, %s has its <title> in that language too", async (header, path, title) => {
    const { response, html } = await page(new HttpClient(server.url), path, { "Accept-Language": header });
    expect(response.status).toBe(200);
    expect(html).toContain(`<title>${title}</title>`);
  });

  test("the switcher's cookie beats Accept-Language, and an unknown cookie value is ignored", async () => {
    const visitor = new HttpClient(server.url);
    const chosen = await page(visitor, "/questions", { "Accept-Language": "zh-CN", Cookie: "tw_lang=ro" });
    expect(htmlLang(chosen.html)).toBe("ro");
    const bogus = await page(visitor, "/questions", { "Accept-Language": "zh-CN", Cookie: "tw_lang=%3Cscript%3E" });
    expect(bogus.response.status).toBe(200);
    expect(htmlLang(bogus.html)).toBe("zh-Hans");
  });

  test("the footer switcher is a POST form that works without JavaScript and names each language in itself", async () => {
    const { html } = await page(new HttpClient(server.url), "/questions?filter=unanswered", { "Accept-Language": "zh-TW" });
    const form = /<form[^>]*action="\/language"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
    expect(form).toMatch(/method="post"/);
    expect(form).toContain('name="csrf"');
    expect(form).toContain('name="redirectTo" value="/questions?filter=unanswered"');
    expect(form).toContain('<option value="ro" lang="ro">Română</option>');
    expect(form).toMatch(/<option value="zh-Hant" lang="zh-Hant" selected="">繁體中文<\/option>/);
    expect(form).toContain("語言");
  });
});

describe("choosing a language", () => {
  test("a visitor's choice sets the preference cookie and comes back to the same page in that language", async () => {
    const visitor = new HttpClient(server.url);
    const csrf = await visitor.csrfToken("/questions");
    const chosen = await visitor.post("/language", { language: "zh-Hant", redirectTo: "/questions?sort=votes" }, { csrf });
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("location")).toBe("/questions?sort=votes");
    expect(chosen.headers.get("set-cookie")).toMatch(/^tw_lang=zh-Hant; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
    const after = await page(visitor, "/questions?sort=votes", { "Accept-Language": "en-US" });
    expect(htmlLang(after.html)).toBe("zh-Hant");
    expect(after.html).toContain(SIGN_IN["zh-Hant"]);
  });

  test("an unknown language code is English, with no error; an outside redirect target goes home", async () => {
    const visitor = new HttpClient(server.url);
    const csrf = await visitor.csrfToken("/questions");
    const chosen = await visitor.post("/language", { language: "xx-<b>", redirectTo: "//evil.example/" }, { csrf });
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("location")).toBe("/");
    expect(chosen.headers.get("set-cookie")).toMatch(/^tw_lang=en;/);
  });

  test("without the CSRF token nothing changes; a GET changes nothing either", async () => {
    const visitor = new HttpClient(server.url);
    const refused = await visitor.post("/language", { language: "ro", redirectTo: "/" }, { csrf: false });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("set-cookie") ?? "").not.toContain("tw_lang");
    const get = await visitor.get("/language?language=ro");
    expect(get.status).toBe(302);
    expect(get.headers.get("set-cookie") ?? "").not.toContain("tw_lang");
  });

  test("a member's choice is stored on the account and wins over the browser on any device", async () => {
    const member = await makeUser();
    const laptop = new HttpClient(server.url);
    await laptop.signIn(member.email, GOOD_PASSWORD);
    const chosen = await laptop.post("/language", { language: "ro", redirectTo: "/account" }, { csrf: await laptop.csrfToken("/account") });
    expect(chosen.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: member.id } })).language).toBe("ro");

    const phone = new HttpClient(server.url);
    await phone.signIn(member.email, GOOD_PASSWORD);
    const account = await page(phone, "/account", { "Accept-Language": "zh-CN" });
    expect(htmlLang(account.html)).toBe("ro");
    expect(account.html).toContain("Contul tău");
  });

  test("signing up keeps the page's language as the member's, for their e-mails", async () => {
    const visitor = new HttpClient(server.url);
    const csrf = await visitor.csrfToken("/signup");
    const email = `lang-${Date.now()}@example.com`;
    const response = await visitor.post("/signup", { email, handle: `lang-${Date.now() % 100000}`, displayName: "陳小明", password: GOOD_PASSWORD }, { csrf, headers: { "Accept-Language": "zh-TW" } });
    expect(response.status).toBe(302);
    expect((await prisma.user.findFirstOrThrow({ where: { email } })).language).toBe("zh-Hant");
  });
});

describe("member-written content in another language", () => {
  test("carries its own lang (detected per post) when it differs from the page's, and none when it is the same", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "如何匯出全年的發票明細？", body: "會計需要去年所有發票的明細，但我只能逐張下載。" });
    await makeAnswer(helper.id, threadId, "Deschide Facturare, apoi Facturi, și alege perioada din meniul Export.");
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${encodeURIComponent(slug)}`;

    const english = (await page(new HttpClient(server.url), path, { "Accept-Language": "en" })).html;
    expect(english).toContain('<span lang="zh-Hant">如何匯出全年的發票明細？</span>');
    expect(english).toMatch(/<div class="rich-text" lang="zh-Hant"[^>]*>[^<]*<p>會計需要/);
    expect(english).toMatch(/<div class="rich-text" lang="ro"[^>]*>[^<]*<p>Deschide Facturare/);

    const simplified = (await page(new HttpClient(server.url), path, { "Accept-Language": "zh-CN" })).html;
    expect(simplified).toContain('<span lang="zh-Hant">如何匯出全年的發票明細？</span>');

    const traditional = (await page(new HttpClient(server.url), path, { "Accept-Language": "zh-TW" })).html;
    expect(traditional).toMatch(/<span>如何匯出全年的發票明細？<\/span>/);
    expect(traditional).toMatch(/<div class="rich-text"(?![^>]* lang=)[^>]*>[^<]*<p>會計需要/);

    const list = (await page(new HttpClient(server.url), "/questions", { "Accept-Language": "ro" })).html;
    expect(list).toMatch(/lang="zh-Hant"[^>]*>\s*如何匯出全年的發票明細？/);
  });
});

describe("the anonymous page cache", () => {
  test("keeps one page per language: a Chinese visitor never gets the English page, nor the reverse", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Why does the CSV export stop at 500 rows?" });
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;

    const english = await page(new HttpClient(server.url), path, { "Accept-Language": "en-US" });
    expect(english.response.headers.get("x-page-cache")).toBeNull();
    expect(htmlLang(english.html)).toBe("en");

    const chinese = await page(new HttpClient(server.url), path, { "Accept-Language": "zh-CN" });
    expect(chinese.response.headers.get("x-page-cache")).toBeNull();
    expect(htmlLang(chinese.html)).toBe("zh-Hans");
    expect(chinese.html).toContain(SIGN_IN["zh-Hans"]);

    const chineseAgain = await page(new HttpClient(server.url), path, { "Accept-Language": "zh-CN,zh;q=0.9" });
    expect(chineseAgain.response.headers.get("x-page-cache")).toBe("hit");
    expect(htmlLang(chineseAgain.html)).toBe("zh-Hans");
    expect(chineseAgain.response.headers.get("content-language")).toBe("zh-Hans");

    const englishAgain = await page(new HttpClient(server.url), path, { "Accept-Language": "en" });
    expect(englishAgain.response.headers.get("x-page-cache")).toBe("hit");
    expect(htmlLang(englishAgain.html)).toBe("en");
    expect(englishAgain.html).not.toContain(SIGN_IN["zh-Hans"]);

    // The switcher's cookie is part of the key too: English browser, Traditional chosen.
    const traditional = await page(new HttpClient(server.url), path, { "Accept-Language": "en", Cookie: "tw_lang=zh-Hant" });
    expect(traditional.response.headers.get("x-page-cache")).toBeNull();
    expect(htmlLang(traditional.html)).toBe("zh-Hant");
    const traditionalAgain = await page(new HttpClient(server.url), path, { "Accept-Language": "en", Cookie: "tw_lang=zh-Hant" });
    expect(traditionalAgain.response.headers.get("x-page-cache")).toBe("hit");
    expect(traditionalAgain.html).toContain(SIGN_IN["zh-Hant"]);
  });
});

describe("notification e-mails", () => {
  async function answeredQuestionFor(language: string | null) {
    const asker = await makeUser();
    if (language) await prisma.user.update({ where: { id: asker.id }, data: { language } });
    const helper = await makeUser({ displayName: "Ana Pop" });
    const { threadId } = await makeQuestion(asker.id, { title: "Cum export facturile în CSV?" });
    await drainEvents();
    await makeAnswer(helper.id, threadId, "Deschide Facturare, apoi Facturi, apoi meniul Export.");
    await drainEvents();
    const notice = await prisma.notification.findFirstOrThrow({ where: { recipientId: asker.id, kind: "answer_on_question" } });
    return { asker, notice };
  }

  test.each([
    ["ro", "Ana Pop a răspuns la întrebarea ta „Cum export facturile în CSV?”", "Primești acest mesaj pentru că ai pus această întrebare.", "Dezabonează-te"],
    ["zh-Hans", "Ana Pop 回答了你的问题“Cum export facturile în CSV?”", "你收到此邮件是因为你提出了这个问题。", "退订"],
    ["zh-Hant", "Ana Pop 回答了你的問題「Cum export facturile în CSV?」", "你收到這封郵件是因為你提出了這個問題。", "取消訂閱"],
    [null, "Ana Pop answered your question “Cum export facturile în CSV?”", "You get this because you asked this question.", "Unsubscribe"],
  ] as const)("an e-mail at once is written in the recipient's language (%s)", async (language, subject, reason, unsubscribe) => {
    const { asker, notice } = await answeredQuestionFor(language);
    expect(await sendNotificationEmail(notice.id)).toBe("sent");
    const mail = readMailbox(mailbox).find((m) => m.to.includes(asker.email.toLowerCase()))!;
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(reason);
    expect(mail.text).toContain(unsubscribe);
    expect(mail.html).toContain(`<html lang="${language ?? "en"}">`);
    expect(mail.html).toContain(reason);
  });

  test("a digest is written in the recipient's language, with its plural forms", async () => {
    const { asker } = await answeredQuestionFor("ro");
    await storeDeliveries(asker.id, { answers: "daily" });
    await sendDigests("daily", new Date(Date.now() + 1000));
    const mail = readMailbox(mailbox).find((m) => m.to.includes(asker.email.toLowerCase()))!;
    expect(mail.subject).toBe("Rezumatul tău zilnic: 1 notificare nouă");
    expect(mail.text).toContain("Primești acest rezumat pentru că ai ales „Rezumat zilnic” în setările pentru notificări.");
  });
});
