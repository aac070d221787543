import { beforeAll, describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { archiveArticle, publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { buildSearchIndex } from "./build-search-index.server.ts";
import { logSearch } from "./log-search.server.ts";
import { SearchEngine } from "./search-engine.server.ts";
import { analyzeQuery } from "./analyze.ts";
import { highlight, searchPage, suggestSimilar } from "./search-queries.server.ts";
import { SearchParams } from "./search.schema.ts";

/** Runs the handlers of every event not handled yet, as the job queue would after commit. */
async function drainEvents() {
  const pending = await prisma.$queryRaw<{ id: bigint }[]>`
    SELECT e.id FROM domain_events e
    WHERE NOT EXISTS (SELECT 1 FROM event_handlings h WHERE h.event_id = e.id) ORDER BY e.id`;
  for (const { id } of pending) await handleEvent(id, eventHandlers);
}

type Doc = { title: string; body: string; answer: string; query: string };

// A fixed corpus: each document comes with a query that must find it in the top 3.
const ENGLISH: Doc[] = [
  { title: "How do I export my invoices as CSV?", body: "The billing page lists invoices but has no export button.", answer: "Open Billing, Invoices, then the Export menu.", query: "export invoices csv" },
  { title: "Password reset email never arrives", body: "I asked for a reset link three times and nothing came.", answer: "Check the spam folder and allow our sender domain.", query: "password reset email" },
  { title: "Two-factor authentication codes rejected after a phone change", body: "My new phone generates codes the site refuses.", answer: "Re-enrol the authenticator from the security page.", query: "two-factor codes rejected" },
  { title: "Printer driver installation fails on Windows 11", body: "The setup stops at 80 percent with error 0x80070005.", answer: "Run the installer as administrator.", query: "printer driver installing" },
  { title: "Webhook deliveries time out after ten seconds", body: "Our endpoint is slow and deliveries are marked failed.", answer: "Answer 202 at once and work in the background.", query: "webhooks timing out" },
  { title: "Cannot upload images larger than five megabytes", body: "Uploading a photo from my camera fails every time.", answer: "Resize the photo; the limit is five megabytes.", query: "uploading large images" },
  { title: "Dark mode colours are unreadable in the editor", body: "Grey text on a dark grey background in the toolbar.", answer: "Update to the latest version which fixes the contrast.", query: "dark mode editor" },
  { title: "Synchronisation with Google Calendar stopped working", body: "Events created yesterday never showed up in my calendar.", answer: "Reconnect the Google account in Integrations.", query: "calendar sync stopped" },
  { title: "API rate limit exceeded with status 429", body: "Our nightly import hits the limit after a few minutes.", answer: "Batch the calls and honour Retry-After.", query: "rate limits 429" },
  { title: "Removing a team member keeps their licences assigned", body: "After removing a colleague the seat is still counted.", answer: "Unassign the licence before removing the member.", query: "remove member licence" },
];

const ROMANIAN: Doc[] = [
  { title: "Factura nu se descarcă din contul meu", body: "Când apăs pe descărcare nu se întâmplă nimic.", answer: "Dezactivați blocarea ferestrelor pop-up.", query: "factura descarca" },
  { title: "Parola nu funcționează după actualizare", body: "După actualizarea aplicației parola veche este refuzată.", answer: "Resetați parola din pagina de autentificare.", query: "parolă actualizare" },
  { title: "Cum șterg contul definitiv din aplicație?", body: "Vreau să închid contul și să șterg toate datele.", answer: "Setări, Confidențialitate, Ștergere cont.", query: "sterg contul" },
  { title: "Imprimanta nu tipărește documentele PDF", body: "Documentele Word se tipăresc, dar cele PDF nu.", answer: "Actualizați cititorul PDF.", query: "imprimanta tipăreşte pdf" },
  { title: "Sincronizarea calendarului s-a oprit brusc", body: "Evenimentele noi nu mai apar pe telefon.", answer: "Reconectați contul de calendar.", query: "sincronizarea calendar" },
  { title: "Eroare la plata cu cardul bancar", body: "Plata este refuzată deși cardul este valid.", answer: "Activați plățile online din aplicația băncii.", query: "plată card" },
  { title: "Aplicația se blochează la pornire pe Android", body: "Imediat după logo aplicația se închide.", answer: "Ștergeți memoria cache a aplicației.", query: "aplicatia blocheaza android" },
  { title: "Notificările prin email nu mai sosesc deloc", body: "De o săptămână nu primesc nicio notificare.", answer: "Verificați dosarul de spam.", query: "notificari email" },
  { title: "Cum schimb limba interfeţei în română?", body: "Interfaţa este în engleză şi nu găsesc setarea.", answer: "Profil, Preferinţe, Limba.", query: "limba interfeței" },
  { title: "Exportul rapoartelor în Excel durează foarte mult", body: "Un raport de o lună durează zece minute.", answer: "Exportați pe săptămâni.", query: "exportul rapoartelor excel" },
];

const CHINESE: Doc[] = [
  { title: "如何重置密码？我忘记了登录密码怎么办", body: "重置邮件一直没有收到。", answer: "请检查垃圾邮件文件夹。", query: "重置密碼" },
  { title: "打印機驅動程式無法安裝，一直顯示錯誤", body: "安裝到一半就停止了。", answer: "請以管理員身分執行安裝程式。", query: "打印机驱动" },
  { title: "发票无法下载，点击按钮以后没有反应", body: "账单页面的发票打不开。", answer: "请关闭弹出窗口拦截。", query: "發票下載" },
  { title: "帳戶被鎖定怎麼辦？登入失敗太多次了", body: "輸入錯誤密碼五次以後帳戶被鎖定。", answer: "等待三十分鐘後再試。", query: "账户锁定" },
  { title: "同步日历失败，新的活动没有出现在手机上", body: "日历同步昨天开始失败。", answer: "重新连接日历账户。", query: "日曆同步" },
  { title: "上傳圖片太大被拒絕，有沒有大小限制", body: "相機拍的照片無法上傳。", answer: "圖片不能超過五兆。", query: "上传图片" },
  { title: "双重认证验证码错误，换了新手机以后", body: "新手机生成的验证码总是错误。", answer: "在安全页面重新绑定。", query: "雙重認證" },
  { title: "應用程式啟動時崩潰，每次打開都閃退", body: "更新以後一啟動就崩潰。", answer: "清除快取後重新安裝。", query: "启动崩溃" },
  { title: "网络连接超时，页面一直在加载中", body: "公司网络下连接总是超时。", answer: "请检查代理设置。", query: "網絡連接超時" },
  { title: "訂閱續費失敗，信用卡明明還有額度", body: "自動續費沒有成功。", answer: "請更新付款方式。", query: "订阅续费" },
];

const keys = new Map<string, string>();
let asker: Awaited<ReturnType<typeof makeUser>>;
let moderator: Awaited<ReturnType<typeof makeUser>>;
let categoryId: number;
let otherCategoryId: number;

async function makeResolvedThread(doc: { title: string; body: string; answer: string }, category = categoryId) {
  // Short (Chinese) texts are said twice to meet the posts' minimum length.
  const long = (text: string) => (text.length < 20 ? `${text} ${text} ${text}` : text);
  const { threadId } = await makeQuestion(asker.id, { title: doc.title, body: long(doc.body), categoryId: category, tags: ["help"] });
  const answerer = await makeUser();
  const answerId = await makeAnswer(answerer.id, threadId, long(doc.answer));
  const accepted = await acceptAnswer(asker.id, threadId, answerId);
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
  return { threadId, answerId };
}

async function freshEngine() {
  const engine = new SearchEngine();
  await engine.loadNewestBase();
  await engine.refreshRecent();
  return engine;
}

beforeAll(async () => {
  asker = await makeUser();
  moderator = await makeUser({ role: "moderator" });
  categoryId = (await makeCategory("Help")).id;
  otherCategoryId = (await makeCategory("Billing")).id;
  for (const doc of [...ENGLISH, ...ROMANIAN, ...CHINESE]) {
    const { threadId } = await makeResolvedThread(doc);
    keys.set(doc.query, `thread:${threadId}`);
  }
  await drainEvents();
}, 120_000);

describe("relevance over a fixed corpus", () => {
  for (const [language, docs] of [
    ["English", ENGLISH],
    ["Romanian", ROMANIAN],
    ["Chinese", CHINESE],
  ] as const) {
    test(`each of ten ${language} queries finds its document in the top 3`, async () => {
      const engine = await freshEngine();
      for (const doc of docs) {
        const result = engine.search(doc.query);
        if (result.status !== "ok") throw new Error("engine not ready");
        expect(result.hits.slice(0, 3).map((h) => h.docKey), doc.query).toContain(keys.get(doc.query));
      }
    });
  }

  test("Romanian with or without diacritics, cedilla or comma, finds the same documents", async () => {
    const engine = await freshEngine();
    const top = (q: string) => {
      const r = engine.search(q);
      return r.status === "ok" ? r.hits.slice(0, 3).map((h) => h.docKey) : [];
    };
    const invoice = keys.get("factura descarca");
    for (const q of ["factură", "factura", "FACTURĂ", "facturi"]) expect(top(q), q).toContain(invoice);
    const language = keys.get("limba interfeței");
    for (const q of ["interfeței", "interfeţei", "interfetei"]) expect(top(q), q).toContain(language);
  });

  test("Simplified finds Traditional and Traditional finds Simplified", async () => {
    const engine = await freshEngine();
    const top = (q: string) => {
      const r = engine.search(q);
      return r.status === "ok" ? r.hits.slice(0, 3).map((h) => h.docKey) : [];
    };
    expect(top("打印机驱动")).toContain(keys.get("打印机驱动")); // Simplified query, Traditional text
    expect(top("打印機驅動")).toContain(keys.get("打印机驱动")); // same script
    expect(top("重置密碼")).toContain(keys.get("重置密碼")); // Traditional query, Simplified text
  });

  test("a resolved thread ranks above an unresolved one of similar relevance", async () => {
    const { threadId: open } = await makeQuestion(asker.id, { title: "Kiosk barcode scanner beeps twice", body: "The kiosk barcode scanner beeps twice and stops.", categoryId });
    const { threadId: solved } = await makeResolvedThread({ title: "Kiosk barcode scanner beeps twice", body: "The kiosk barcode scanner beeps twice and stops.", answer: "Reset it." });
    await drainEvents();
    const engine = await freshEngine();
    const result = engine.search("kiosk barcode scanner");
    if (result.status !== "ok") throw new Error("not ready");
    expect(result.hits.map((h) => h.docKey).slice(0, 2)).toEqual([`thread:${solved}`, `thread:${open}`]);
  });

  test("filters by type, category and resolved; a page shows a count, highlighted snippets and escapes nothing into HTML", async () => {
    const { threadId } = await makeResolvedThread({ title: "Quarterly <b>report</b> totals are wrong", body: "The quarterly totals differ from the monthly ones <script>alert(1)</script>.", answer: "Totals use the invoice date." }, otherCategoryId);
    await drainEvents();
    const engine = await freshEngine();
    const page = await searchPage(SearchParams.parse({ q: "quarterly totals", category: String(otherCategoryId) }), engine);
    if (page.status !== "ok") throw new Error("not ok");
    expect(page.total).toBe(1);
    expect(page.items[0]!.docKey).toBe(`thread:${threadId}`);
    expect(page.items[0]!.category?.id).toBe(otherCategoryId);
    expect(page.items[0]!.resolved).toBe(true);
    expect(page.items[0]!.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toContain("quarterly");
    expect(page.items[0]!.title.map((p) => p.text).join("")).toBe("Quarterly <b>report</b> totals are wrong"); // text, rendered escaped by React
    // The asker's name comes with their expert marks, as everywhere a name is shown.
    expect(page.items[0]!.author).toMatchObject({ handle: (await prisma.user.findUniqueOrThrow({ where: { id: asker.id } })).handle, expertIn: [] });
    await prisma.user.update({ where: { id: asker.id }, data: { expertCategoryIds: [otherCategoryId] } });
    const withMark = await searchPage(SearchParams.parse({ q: "quarterly totals", category: String(otherCategoryId) }), engine);
    const otherCategory = await prisma.category.findUniqueOrThrow({ where: { id: otherCategoryId } });
    expect(withMark.status === "ok" && withMark.items[0]!.author?.expertIn).toEqual([{ slug: otherCategory.slug, name: otherCategory.name }]);
    await prisma.user.update({ where: { id: asker.id }, data: { expertCategoryIds: [] } });
    const elsewhere = await searchPage(SearchParams.parse({ q: "quarterly totals", category: String(categoryId) }), engine);
    expect(elsewhere.status === "ok" && elsewhere.total).toBe(0);
    const articlesOnly = await searchPage(SearchParams.parse({ q: "quarterly totals", type: "article" }), engine);
    expect(articlesOnly.status === "ok" && articlesOnly.total).toBe(0);
  });
});

describe("the index follows the data", () => {
  test("an edit is findable (and the old words gone) once the recent index refreshes, also over a stored base", async () => {
    const { threadId } = await makeResolvedThread({ title: "Mailbox quota warning keeps appearing", body: "Every morning the mailbox quota warning pops up.", answer: "Archive old mail." });
    await drainEvents();
    await buildSearchIndex({ shardSize: 20 });
    const engine = await freshEngine();
    expect(engine.baseVersion).not.toBeNull();
    const find = (q: string) => {
      const r = engine.search(q);
      return r.status === "ok" ? r.hits.map((h) => h.docKey) : [];
    };
    expect(find("mailbox quota")).toContain(`thread:${threadId}`);
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId } });
    const edited = await editPost(asker.id, thread.questionPostId!, { title: "Storage allowance banner keeps appearing", body: docJson("Every morning the storage allowance banner pops up."), reason: "clearer" });
    expect(edited.ok).toBe(true);
    await drainEvents();
    await engine.refreshRecent();
    expect(find("storage allowance")).toContain(`thread:${threadId}`);
    expect(find("mailbox quota")).not.toContain(`thread:${threadId}`);
  });

  test("a hidden question, and a hidden accepted answer's text, are never found nor shown", async () => {
    const { threadId, answerId } = await makeResolvedThread({ title: "Gateway firmware update bricks the router", body: "After the gateway firmware update the router is dead.", answer: "Hold reset for thirty seconds to flash the zebracorn image." });
    await drainEvents();
    const engine = await freshEngine();
    const find = (q: string) => {
      const r = engine.search(q);
      return r.status === "ok" ? r.hits.map((h) => h.docKey) : [];
    };
    expect(find("zebracorn")).toEqual([`thread:${threadId}`]);
    expect((await setPostHidden(moderator.id, answerId, true, { reason: "wrong advice" })).ok).toBe(true);
    await drainEvents();
    await engine.refreshRecent();
    expect(find("zebracorn")).toEqual([]);
    const page = await searchPage(SearchParams.parse({ q: "gateway firmware" }), engine);
    if (page.status !== "ok") throw new Error("not ok");
    expect(page.items.map((i) => i.docKey)).toContain(`thread:${threadId}`);
    expect(JSON.stringify(page.items)).not.toContain("zebracorn");

    const question = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;
    expect((await setPostHidden(moderator.id, question, true, { reason: "spam" })).ok).toBe(true);
    await drainEvents();
    await engine.refreshRecent();
    expect(find("gateway firmware")).toEqual([]);
    const suggestions = await suggestSimilar("gateway firmware update", engine);
    expect(suggestions.status === "ok" && suggestions.items.map((i) => i.docKey)).not.toContain(`thread:${threadId}`);
  });

  test("a published article is found (type filter), an archived one is gone", async () => {
    const author = await makeUser({ role: "staff" });
    const created = await createArticle(author.id, { categoryId: String(categoryId), title: "Setting up the VPN client on macOS", body: docJson("Install the VPN client, import the profile, connect."), tags: "vpn" });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const article = { id: created.value.articleId };
    expect((await publishArticle(author.id, article.id)).ok).toBe(true);
    await drainEvents();
    const engine = await freshEngine();
    const result = engine.search("vpn client macos", { type: "article" });
    expect(result.status === "ok" && result.hits.map((h) => h.docKey)).toEqual([`article:${article.id}`]);
    const suggestions = await suggestSimilar("how to set up vpn", engine);
    expect(suggestions.status === "ok" && suggestions.items.map((i) => i.docKey)).toContain(`article:${article.id}`);
    expect((await archiveArticle(author.id, article.id)).ok).toBe(true);
    await drainEvents();
    await engine.refreshRecent();
    expect(engine.search("vpn client macos").status === "ok" && (engine.search("vpn client macos") as { total: number }).total).toBe(0);
  });

  test("a new server answers 'warming up' until its index is loaded", async () => {
    const engine = new SearchEngine();
    expect(engine.search("anything").status).toBe("warming");
    expect(engine.suggest("anything").status).toBe("warming");
    await engine.loadNewestBase();
    await engine.refreshRecent();
    expect(engine.search("anything").status).toBe("ok");
  });
});

describe("highlighting", () => {
  test("in Chinese only the matched words are marked, not the whole sentence, across Simplified and Traditional", () => {
    const terms = new Set(analyzeQuery("发票明细").terms);
    const parts = highlight("會計需要去年所有發票的明細，但我只能逐張下載 PDF。", terms);
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(["發票", "明細"]);
    expect(parts.map((p) => p.text).join("")).toBe("會計需要去年所有發票的明細，但我只能逐張下載 PDF。");
    const adjacent = highlight("如何匯出全年的發票明細？", terms);
    expect(adjacent.filter((p) => p.hit).map((p) => p.text)).toEqual(["發票明細"]);
    expect(highlight("Export invoices as CSV", new Set(analyzeQuery("invoice").terms)).filter((p) => p.hit).map((p) => p.text)).toEqual(["invoices"]);
  });
});

describe("suggestions and logging", () => {
  test("suggestions complete the word being typed and list resolved threads first, then open ones, marked", async () => {
    const { threadId: open } = await makeQuestion(asker.id, { title: "Thermostat schedule ignores weekends", body: "The thermostat schedule ignores my weekend settings.", categoryId });
    const { threadId: solved } = await makeResolvedThread({ title: "Thermostat schedule resets after a power cut", body: "After a power cut the thermostat forgets its schedule.", answer: "Replace the backup battery of the thermostat." });
    await drainEvents();
    const engine = await freshEngine();
    const typed = await suggestSimilar("password res", engine);
    expect(typed.status === "ok" && typed.items.map((i) => i.docKey)).toContain(keys.get("password reset email"));
    const similar = await suggestSimilar("thermostat schedule", engine);
    if (similar.status !== "ok") throw new Error("not ok");
    const marks = similar.items.map((i) => [i.docKey, i.resolved]);
    expect(marks).toContainEqual([`thread:${solved}`, true]);
    expect(marks).toContainEqual([`thread:${open}`, false]);
    const firstOpen = similar.items.findIndex((i) => !i.resolved);
    expect(similar.items.slice(firstOpen).every((i) => !i.resolved && i.type === "thread")).toBe(true);
  });

  test("an identical open question is suggested even when five resolved threads fill the list", async () => {
    const title = "Router firmware update bricks the device";
    for (let i = 1; i <= 5; i++) await makeResolvedThread({ title: `Router firmware question number ${i}`, body: `Router firmware question ${i} with enough words.`, answer: "Reinstall the router firmware from the recovery page." });
    const { threadId: open } = await makeQuestion(asker.id, { title, body: "After the update the router no longer starts at all.", categoryId });
    await drainEvents();
    const engine = await freshEngine();
    const similar = await suggestSimilar(title, engine);
    if (similar.status !== "ok") throw new Error("not ok");
    expect(similar.items.filter((i) => i.resolved)).toHaveLength(5);
    expect(similar.items.at(-1)).toMatchObject({ docKey: `thread:${open}`, resolved: false, title });
  });

  test("a two-character Chinese word gets suggestions; one Latin letter or two do not", async () => {
    const engine = await freshEngine();
    const chinese = await suggestSimilar("同步", engine);
    expect(chinese.status === "ok" && chinese.items.map((i) => i.docKey)).toContain(keys.get("日曆同步"));
    const traditional = await suggestSimilar("鎖定", engine);
    expect(traditional.status === "ok" && traditional.items.map((i) => i.docKey)).toContain(keys.get("账户锁定"));
    expect(await suggestSimilar("pa", engine)).toEqual({ status: "ok", items: [] });
  });

  test("every search is logged with its terms, language and result count, zero results included; an opened result is recorded", async () => {
    const engine = await freshEngine();
    const visitor = { userId: null, anonId: "visitor-abcdefghijklmnop" };
    const none = await logSearch({ q: "xylophone quantum", from: "header" }, visitor, engine);
    if (!none.ok) throw new Error(JSON.stringify(none));
    const row = await prisma.searchQuery.findUniqueOrThrow({ where: { id: BigInt(none.value.searchId) } });
    expect(row).toMatchObject({ query: "xylophone quantum", resultCount: 0, source: "header", visitorKey: "a:visitor-abcdefghijklmnop", userId: null, language: "en" });
    expect(row.terms).toContain("xylophon");

    const found = await logSearch({ q: "factură", from: "page" }, { userId: asker.id, anonId: null }, engine);
    if (!found.ok) throw new Error("not ok");
    const opened = await logSearch({ q: "factură", from: "page", searchId: found.value.searchId, opened: keys.get("factura descarca") }, { userId: asker.id, anonId: null }, engine);
    expect(opened.ok && opened.value.searchId).toBe(found.value.searchId);
    const logged = await prisma.searchQuery.findUniqueOrThrow({ where: { id: BigInt(found.value.searchId) } });
    expect(logged).toMatchObject({ resultCount: 1, language: "ro", visitorKey: `u:${asker.id}`, openedDoc: keys.get("factura descarca") });
    expect(logged.openedAt).not.toBeNull();

    const deflection = await logSearch({ q: "password reset", from: "ask_suggestions", opened: keys.get("password reset email") }, visitor, engine);
    expect(deflection.ok).toBe(true);
    expect(await prisma.searchQuery.count({ where: { source: "ask_suggestions", openedDoc: keys.get("password reset email") } })).toBe(1);
    expect((await logSearch({ q: "x", from: "nowhere" }, visitor, engine)).ok).toBe(false);
  });

  test("a logged search records search.performed with its row, an opened result search.result_opened; refused input records nothing", async () => {
    const engine = await freshEngine();
    const since = (await prisma.domainEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const events = () =>
      prisma.domainEvent.findMany({ where: { id: { gt: since } }, orderBy: { id: "asc" }, select: { type: true, actorId: true, subjectType: true, subjectId: true, payload: true } });

    const searched = await logSearch({ q: "zebra accordion", from: "page", category: String(categoryId) }, { userId: asker.id, anonId: null }, engine);
    if (!searched.ok) throw new Error(JSON.stringify(searched));
    const openedKey = keys.get("factura descarca")!;
    expect((await logSearch({ q: "zebra accordion", from: "page", searchId: searched.value.searchId, opened: openedKey }, { userId: asker.id, anonId: null }, engine)).ok).toBe(true);
    expect((await logSearch({ q: "", from: "page" }, { userId: asker.id, anonId: null }, engine)).ok).toBe(false);

    expect(await events()).toEqual([
      { type: "search.performed", actorId: asker.id, subjectType: "search", subjectId: searched.value.searchId, payload: { source: "page", resultCount: 0, categoryId, opened: null } },
      { type: "search.result_opened", actorId: asker.id, subjectType: "search", subjectId: searched.value.searchId, payload: { opened: openedKey } },
    ]);
  });
});

describe("the search log refuses ids it could not store", () => {
  test("a searchId or an opened result past a bigint is a 400, and nothing is written", async () => {
    const before = await prisma.searchQuery.count();
    for (const input of [
      { q: "export", from: "page", searchId: "9999999999999999999", opened: "thread:1" },
      { q: "export", from: "page", opened: "thread:99999999999999999999" },
      { q: "export", from: "page", opened: "article:9223372036854775808" },
    ]) {
      expect(await logSearch(input, { userId: null, anonId: "visitor-abcdefghijklmnop" }), JSON.stringify(input)).toMatchObject({ ok: false, kind: "invalid" });
    }
    expect(await prisma.searchQuery.count()).toBe(before);
  });
});
