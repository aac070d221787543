/**
 * `npm run seed:large [-- --force] [--scale 1] [--seed 42] [--password …] [--skip-verify]`
 *
 * Fills the PostgreSQL database in DATABASE_URL with a realistic large dataset for benchmarks and
 * for trying the product at scale (issue 4, "Demo and scale data"). At --scale 1 (the default):
 * ~20,000 members, 12 categories, 500 tags, 100,000 questions (each with its question post and
 * revision 1), 300,000 answers (skewed: most threads have 0-3, a few hot threads 100+, and at least
 * one thread has exactly 10 and one exactly 100), 1,000,000 votes, ~100,000 comments and ~1,200,000
 * thread views, all spread over the last two years; titles and bodies in English, Romanian and
 * Chinese (Traditional and Simplified) from word lists. --scale 0.05 makes a small copy for a try.
 *
 * Every counter is written consistent with its rows: post scores and thread scores are the sums of
 * their votes, answer_count and view_count count their rows, tags.thread_count counts visible threads' thread_tags (the seed hides none),
 * each accepted answer is an answer of its own thread (with resolved_at), first_answer_at and
 * last_activity_at follow the answers, comments and acceptance. The script checks all of that with
 * SQL at the end (skip with --skip-verify).
 *
 * How it is fast: the whole dataset is planned in memory first (who posts what when, how many votes
 * and views each post and thread gets), then written in batches of ~2,500 threads, each batch in one
 * transaction of set-based statements (`INSERT … SELECT FROM unnest($1::…[], …)` with arrays built
 * here) through one plain `pg` client; the next batch is generated while PostgreSQL writes the
 * previous one. Ids are reserved up front from the tables' sequences. Revision 1 of each post is
 * copied server-side from the post rows. Bodies are Tiptap JSON documents of plain paragraphs, with
 * the HTML the app's renderer makes for them (`<p>` + text escaped like render-rich-text.server.ts);
 * a sample is checked against renderRichText itself before anything is written. Progress goes to
 * stderr through a small bar written here (redrawn with \r on a terminal, one line per 10 % when
 * stderr is a file or a pipe); totals, showcase URLs and the password go to stdout.
 *
 * Not written: domain_events. The bulk rows did not happen through use cases, and replaying events
 * for them would run every handler over millions of rows. Metrics rollups (and anything else fed by
 * events) can be backfilled from the tables by a later command. Seeded members all share one
 * password (printed at the end) hashed once with argon2id: hashing 20,000 passwords would take
 * minutes. Reputation stays at the starting value: `npm run reputation:backfill` builds the ledger
 * from the seeded votes and acceptances afterwards (the Q&A and leaderboard benchmarks need it).
 *
 * Refuses to run without DATABASE_URL, on a database that is not migrated (`npm run db:migrate`),
 * and on a database that already has more than 1,000 threads unless --force is given. A failed run
 * leaves the batches that were committed: use a fresh database for the next attempt.
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { renderRichText } from "~/modules/content/render-rich-text.server.ts";
import { docToPlainText } from "~/modules/content/rich-text.ts";
import { threadSlug } from "~/modules/questions/questions.schema.ts";
import { hashPassword } from "~/modules/users/password.server.ts";
import { duration, fmt, Progress } from "./progress.ts";
import { COUNTER_CHECKS } from "./counter-checks.ts";

// ------------------------------------------------------------------------------------------------
// Options
// ------------------------------------------------------------------------------------------------

const { values: options } = parseArgs({
  options: {
    force: { type: "boolean", default: false },
    scale: { type: "string", default: "1" },
    seed: { type: "string", default: "42" },
    password: { type: "string", default: "threadwise-large-seed" },
    "skip-verify": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (options.help) {
  console.log("Usage: DATABASE_URL=postgresql://… npm run seed:large [-- --force] [--scale 1] [--seed 42] [--password <password>] [--skip-verify]");
  process.exit(0);
}

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error("Set DATABASE_URL to the PostgreSQL database to fill (migrated with `npm run db:migrate`). Nothing was written.");
  process.exit(2);
}
const SCALE = Number(options.scale);
if (!Number.isFinite(SCALE) || SCALE <= 0 || SCALE > 10) {
  console.error("--scale must be a number above 0 and at most 10.");
  process.exit(2);
}
if (options.password.length < 10) {
  console.error("--password needs at least 10 characters (the app's own minimum).");
  process.exit(2);
}

const USERS = Math.max(300, Math.round(20_000 * SCALE));
const THREADS = Math.max(500, Math.round(100_000 * SCALE));
const ANSWERS = Math.max(THREADS + 200, Math.round(300_000 * SCALE));
const VOTES = Math.max(2_000, Math.round(1_000_000 * SCALE));
const VIEWS = Math.max(THREADS * 2, Math.round(1_200_000 * SCALE));
const TAGS = Math.max(60, Math.min(500, Math.round(500 * Math.sqrt(SCALE))));
const THREADS_PER_BATCH = 2_500;
const EXISTING_THREADS_LIMIT = 1_000;
const EMAIL_DOMAIN = "large.threadwise.test";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now() - 60_000;
const SPAN = 730 * DAY;
const START = NOW - SPAN;

// ------------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32): the same --seed and --scale give the same dataset
// ------------------------------------------------------------------------------------------------

let prngState = Number(options.seed) >>> 0 || 42;
function rand(): number {
  prngState = (prngState + 0x6d2b79f5) >>> 0;
  let t = prngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const chance = (p: number) => rand() < p;
function normal(): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
/** Log-normal with the given median; sigma spreads it (1 = a factor ~2.7 either way). */
const logNormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());

/** Picks indexes with probability proportional to `weights` (cumulative table + binary search). */
function weightedPicker(weights: number[]): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Shares `total` out in proportion to `weights`, never above `caps`; the sum is exactly `total` when the caps allow it. */
function allocate(weights: Float64Array, total: number, caps: Int32Array, floor: Int32Array | null = null): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  let base = 0;
  if (floor) for (let i = 0; i < n; i++) base += out[i] = Math.min(floor[i], caps[i]);
  let weightSum = 0;
  for (let i = 0; i < n; i++) weightSum += weights[i];
  let given = base;
  const share = total - base;
  for (let i = 0; i < n; i++) {
    const k = Math.min(caps[i], out[i] + Math.floor((share * weights[i]) / weightSum));
    given += k - out[i];
    out[i] = k;
  }
  let attempts = 0;
  while (given < total && attempts < total * 20 + 1_000_000) {
    attempts++;
    const i = Math.floor(rand() * n);
    if (out[i] < caps[i]) {
      out[i]++;
      given++;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Word lists
// ------------------------------------------------------------------------------------------------

type Language = "en" | "ro" | "zh-Hant" | "zh-Hans";

const EN = {
  actions: ["reset", "export", "import", "configure", "enable", "disable", "migrate", "connect", "sync", "delete", "rename", "restore", "share", "schedule", "automate", "verify", "update", "limit", "archive", "transfer"],
  objects: ["two-factor authentication", "the API key", "webhooks", "single sign-on with Okta", "CSV exports", "team permissions", "e-mail notifications", "the mobile app", "invoices", "a custom domain", "user roles", "the audit log", "the Slack integration", "scheduled reports", "dashboard widgets", "my billing address", "the password policy", "data retention settings", "REST API pagination", "guest access", "shared folders", "the Zapier connector", "SAML attributes", "workspace ownership", "recurring tasks"],
  contexts: [" after upgrading to v3", " on Android 14", " behind a corporate proxy", " for a team of 50 people", " without admin rights", " in Safari on iOS", " from the command line", " when using SAML", " on the free plan", " after changing my e-mail address", " in the EU region", " for archived projects", "", "", ""],
  problems: ["stops working", "times out", "shows the wrong time zone", "returns 403 Forbidden", "is very slow", "keeps logging me out", "sends duplicate e-mails", "ignores my settings", "fails with a 500 error", "shows an empty page", "loses data on save", "does not update"],
  audiences: ["a small team", "an agency with many clients", "a school", "a support desk", "a nonprofit", "developers"],
  sentences: [
    "I followed the steps in the documentation but nothing changed.",
    "This started right after the last update.",
    "Has anyone else seen this?",
    "Thanks in advance for any help.",
    "We are on the Business plan with about 40 seats.",
    "The error only shows up for some of our users.",
    "Clearing the browser cache did not help.",
    "Here is what I tried so far.",
    "It works in Chrome but not in Firefox.",
    "Our admin can reproduce it as well.",
    "Is there a setting I am missing?",
    "The support article about this seems outdated.",
    "Try signing out and back in, then open the settings page again.",
    "You need the Owner role to change that option.",
    "Go to Settings, then Security, and turn the option off and on again.",
    "This is a known issue and a fix is planned for the next release.",
    "Make sure the webhook URL uses https, otherwise it is rejected.",
    "The limit is 1,000 requests per minute for each API key.",
    "Export the data as CSV first, then import it into the new workspace.",
    "I had the same problem & solved it by regenerating the key.",
    'The log shows "403 Forbidden" for every request.',
    "Check that the field is not <empty> before you save the form.",
    "R&D asked us to keep the old behaviour until the end of the quarter.",
    "Same here, it happens every morning around nine.",
    "That fixed it for me, thank you!",
  ],
  words: [
    "the", "a", "an", "and", "or", "but", "with", "without", "after", "before", "when", "while", "because", "so", "then", "still", "again", "only", "also", "never", "always", "sometimes",
    "I", "we", "you", "they", "it", "our", "my", "your", "their", "this", "that", "every", "some", "each",
    "account", "workspace", "team", "invoice", "report", "password", "user", "server", "error", "page", "button", "notification", "integration", "version", "update", "data", "file", "export",
    "import", "permission", "admin", "browser", "phone", "message", "connection", "key", "domain", "subscription", "project", "task", "folder", "setting", "option", "plan", "seat", "token",
    "request", "response", "log", "dashboard", "widget", "filter", "label", "calendar", "reminder", "comment", "attachment", "screenshot", "ticket", "customer", "colleague", "manager", "role",
    "works", "fails", "changed", "tried", "checked", "deleted", "added", "received", "sent", "saw", "found", "opened", "closed", "saved", "restarted", "configured", "enabled", "disabled",
    "shows", "loads", "syncs", "expires", "breaks", "returns", "keeps", "needs", "wants", "expects", "seems", "looks", "happens", "appears", "stays", "moves", "copies", "renames",
    "slow", "fast", "wrong", "right", "empty", "broken", "new", "old", "last", "first", "next", "whole", "partial", "automatic", "manual", "strange", "random", "different", "same", "correct",
    "yesterday", "today", "morning", "week", "month", "minutes", "hours", "twice", "quickly", "finally", "probably", "maybe", "exactly", "really", "almost", "already",
    "Q&A", "R&D", "<none>", '"Save"', "it's", "don't", "can't", "v3.2", "iOS", "Android", "SAML", "API", "CSV", "SSO",
  ],
};

const RO = {
  actions: ["resetez", "export", "import", "configurez", "activez", "dezactivez", "mut", "conectez", "sincronizez", "șterg", "redenumesc", "restaurez", "partajez", "programez"],
  objects: ["autentificarea în doi pași", "cheia API", "notificările prin e-mail", "facturile", "aplicația mobilă", "rapoartele programate", "permisiunile echipei", "domeniul personalizat", "jurnalul de audit", "integrarea cu Slack", "adresa de facturare", "politica de parole"],
  contexts: [" după actualizarea la versiunea 3", " pe Android", " fără drepturi de administrator", " în Safari pe iPhone", " pentru o echipă de 50 de persoane", " în regiunea UE", " din linia de comandă", ""],
  problems: ["nu mai funcționează", "se încarcă foarte greu", "arată fusul orar greșit", "returnează eroarea 403", "mă deconectează mereu", "trimite e-mailuri duble", "îmi ignoră setările"],
  sentences: [
    "Am urmat pașii din documentație, dar nu s-a schimbat nimic.",
    "Problema a apărut după ultima actualizare.",
    "Mai are cineva aceeași problemă?",
    "Mulțumesc anticipat pentru ajutor.",
    "Folosim planul Business cu aproximativ 40 de utilizatori.",
    "Eroarea apare doar pentru unii colegi.",
    "Ștergerea memoriei cache nu a ajutat.",
    "Funcționează în Chrome, dar nu și în Firefox.",
    "Încercați să vă deconectați și apoi să vă reconectați.",
    "Aveți nevoie de rolul de proprietar pentru a schimba această opțiune.",
    "Mergeți la Setări, apoi la Securitate, și reactivați opțiunea.",
    "Este o problemă cunoscută, iar remedierea vine în versiunea următoare.",
    "Verificați că adresa webhook-ului folosește https.",
    "Limita este de 1.000 de cereri pe minut pentru fiecare cheie API.",
    "Exportați mai întâi datele în format CSV, apoi importați-le în noul spațiu de lucru.",
    "Mi s-a întâmplat și mie, iar soluția de mai sus a funcționat.",
  ],
  words: [
    "aplicația", "contul", "setările", "echipa", "factura", "raportul", "parola", "utilizatorul", "serverul", "eroarea", "pagina", "butonul", "notificarea", "integrarea", "versiunea",
    "actualizarea", "datele", "fișierul", "exportul", "importul", "permisiunea", "administratorul", "browserul", "telefonul", "mesajul", "conexiunea", "sincronizarea", "cheia", "domeniul",
    "abonamentul", "nu", "funcționează", "după", "înainte", "încă", "foarte", "lent", "rapid", "corect", "greșit", "mereu", "uneori", "niciodată", "când", "pentru", "și", "dar", "sau", "cu",
    "fără", "în", "pe", "la", "din", "care", "această", "acest", "noua", "vechea", "ultima", "prima", "am", "încercat", "schimbat", "verificat", "șters", "adăugat", "primit", "trimis", "văzut",
    "găsit", "deschis", "închis", "salvat", "repornit", "configurat", "activat", "dezactivat", "problema", "soluția", "întrebarea", "răspunsul", "ajutorul", "documentația", "ziua", "săptămâna",
    "luna", "ieri", "azi", "mâine", "toți", "colegii", "clienții", "noștri", "mei", "se", "pare", "că", "trebuie", "poate", "ar", "fi", "bine", "greu", "ușor", "sigur", "complet", "parțial",
    "automat", "manual", "spațiul", "proiectul", "sarcina", "dosarul", "opțiunea", "planul", "cererea", "jurnalul", "tabloul", "filtrul", "eticheta", "calendarul", "comentariul", "atașamentul",
  ],
};

/** Traditional and Simplified lists are the same words in the same order, so a thread can be rendered in either. */
const ZH_HANT = {
  actions: ["重設", "匯出", "匯入", "設定", "啟用", "停用", "遷移", "連接", "同步", "刪除", "重新命名", "還原", "分享", "排程"],
  objects: ["雙重驗證", "API 金鑰", "電子郵件通知", "發票", "行動應用程式", "排程報表", "團隊權限", "自訂網域", "稽核紀錄", "Slack 整合", "帳單地址", "密碼原則"],
  contexts: ["在升級到第三版之後", "在 Android 手機上", "沒有管理員權限的時候", "在 iPhone 的 Safari 瀏覽器中", "為五十人的團隊", "在歐盟區域的工作區裡", "從命令列操作時"],
  problems: ["無法正常運作", "一直逾時", "顯示錯誤的時區", "回傳 403 錯誤", "速度非常慢", "不斷把我登出", "重複寄送郵件"],
  sentences: ["我照著說明文件的步驟做了，但是沒有任何改變。", "這個問題是在上次更新之後才出現的。", "有其他人遇過同樣的情況嗎？", "先謝謝大家的幫忙。", "清除瀏覽器快取也沒有用。", "請先登出再重新登入，然後再打開設定頁面。", "這是已知的問題，下一個版本會修正。", "我也遇到一樣的問題，照上面的方法就解決了。"],
  words: [
    "應用程式", "帳號", "設定", "團隊", "發票", "報表", "密碼", "使用者", "伺服器", "錯誤", "頁面", "按鈕", "通知", "整合", "版本", "更新", "資料", "檔案", "匯出", "匯入", "權限", "管理員", "瀏覽器",
    "手機", "訊息", "連線", "同步", "金鑰", "網域", "訂閱", "無法", "正常", "運作", "之後", "之前", "仍然", "非常", "緩慢", "快速", "正確", "總是", "有時候", "從來沒有", "當", "為了", "而且",
    "但是", "或者", "我們", "已經", "嘗試", "變更", "檢查", "刪除", "新增", "收到", "寄出", "看到", "找到", "開啟", "關閉", "儲存", "重新啟動", "啟用", "停用", "問題", "解決方法", "回答", "幫忙",
    "文件", "今天", "昨天", "明天", "所有", "同事", "客戶", "似乎", "必須", "可以", "應該", "容易", "困難", "確定", "完全", "部分", "自動", "手動", "系統", "介面", "登入", "登出", "驗證", "儀表板",
    "網路", "代理伺服器",
  ],
};
const ZH_HANS = {
  actions: ["重置", "导出", "导入", "设置", "启用", "停用", "迁移", "连接", "同步", "删除", "重命名", "还原", "分享", "计划"],
  objects: ["双重验证", "API 密钥", "电子邮件通知", "发票", "移动应用", "定时报表", "团队权限", "自定义域名", "审计日志", "Slack 集成", "账单地址", "密码策略"],
  contexts: ["在升级到第三版之后", "在 Android 手机上", "没有管理员权限的时候", "在 iPhone 的 Safari 浏览器中", "为五十人的团队", "在欧盟区域的工作区里", "从命令行操作时"],
  problems: ["无法正常工作", "一直超时", "显示错误的时区", "返回 403 错误", "速度非常慢", "不断把我登出", "重复发送邮件"],
  sentences: ["我按照说明文档的步骤做了，但是没有任何变化。", "这个问题是在上次更新之后才出现的。", "有其他人遇到过同样的情况吗？", "先谢谢大家的帮忙。", "清除浏览器缓存也没有用。", "请先退出再重新登录，然后再打开设置页面。", "这是已知的问题，下一个版本会修复。", "我也遇到一样的问题，按照上面的方法就解决了。"],
  words: [
    "应用程序", "账号", "设置", "团队", "发票", "报表", "密码", "用户", "服务器", "错误", "页面", "按钮", "通知", "集成", "版本", "更新", "数据", "文件", "导出", "导入", "权限", "管理员", "浏览器",
    "手机", "消息", "连接", "同步", "密钥", "域名", "订阅", "无法", "正常", "运行", "之后", "之前", "仍然", "非常", "缓慢", "快速", "正确", "总是", "有时候", "从来没有", "当", "为了", "而且",
    "但是", "或者", "我们", "已经", "尝试", "更改", "检查", "删除", "添加", "收到", "发送", "看到", "找到", "打开", "关闭", "保存", "重新启动", "启用", "停用", "问题", "解决方法", "回答", "帮忙",
    "文档", "今天", "昨天", "明天", "所有", "同事", "客户", "似乎", "必须", "可以", "应该", "容易", "困难", "确定", "完全", "部分", "自动", "手动", "系统", "界面", "登录", "退出", "验证", "仪表板",
    "网络", "代理服务器",
  ],
};

const CATEGORIES = [
  ["getting-started", "Getting started", "First steps: workspaces, invitations and the basics."],
  ["account-and-sign-in", "Account and sign-in", "Passwords, two-factor authentication, single sign-on."],
  ["billing", "Billing and invoices", "Plans, seats, invoices and payment methods."],
  ["integrations-api", "Integrations and API", "The REST API, webhooks and connectors."],
  ["mobile-apps", "Mobile apps", "The iOS and Android apps."],
  ["notifications", "Notifications and e-mail", "What we send, when, and how to change it."],
  ["reports", "Reports and analytics", "Dashboards, exports and scheduled reports."],
  ["security-privacy", "Security and privacy", "Permissions, audit logs and data retention."],
  ["performance", "Performance", "Slow pages, timeouts and limits."],
  ["import-export", "Data import and export", "Moving data in and out."],
  ["feature-requests", "Feature requests", "Ideas and wishes for the product."],
  ["troubleshooting", "Troubleshooting", "Something is broken: start here."],
] as const;

const TAG_BASES = [
  "sso", "saml", "oauth", "okta", "azure-ad", "google-workspace", "2fa", "passwords", "sessions", "api", "rest-api", "graphql", "webhooks", "zapier", "slack", "teams", "jira", "github",
  "salesforce", "hubspot", "stripe", "invoices", "vat", "refunds", "seats", "trial", "upgrade", "downgrade", "csv", "excel", "pdf", "json", "import", "export", "backup", "restore",
  "ios", "android", "ipad", "push-notifications", "email", "digest", "calendar", "reminders", "dashboards", "charts", "filters", "search", "tags", "labels", "permissions", "roles",
  "guests", "audit-log", "gdpr", "retention", "encryption", "ip-allowlist", "custom-domain", "dns", "ssl", "proxy", "firewall", "timeouts", "rate-limits", "latency", "offline",
  "sync", "attachments", "uploads", "storage", "templates", "automation", "recurring-tasks", "time-zones", "localization", "accessibility", "dark-mode", "keyboard-shortcuts",
  "browser-extension", "desktop-app", "windows", "macos", "linux", "safari", "firefox", "chrome", "edge", "cli", "sdk", "python", "javascript", "php", "ruby", "java", "dotnet", "go",
];
const TAG_ASPECTS = ["setup", "errors", "limits", "migration", "permissions", "performance", "billing", "mobile", "sync", "security", "v2", "v3", "beta"];

const FIRST_EN = ["james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "david", "sarah", "daniel", "emma", "thomas", "olivia", "lucas", "sophie", "noah", "grace", "liam", "chloe"];
const LAST_EN = ["smith", "johnson", "brown", "taylor", "wilson", "davies", "evans", "walker", "wright", "thompson", "white", "hughes", "edwards", "green", "hall", "wood", "harris", "clarke"];
const FIRST_RO = ["Ana", "Ioana", "Andrei", "Mihai", "Elena", "Ștefan", "Răzvan", "Cătălina", "Bogdan", "Irina", "Alexandru", "Diana", "Tudor", "Oana"];
const LAST_RO = ["Popescu", "Ionescu", "Popa", "Dumitrescu", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu", "Munteanu", "Țurcanu", "Rădulescu"];
const ZH_SURNAMES = [["王", "wang"], ["李", "li"], ["張", "zhang"], ["劉", "liu"], ["陳", "chen"], ["楊", "yang"], ["黃", "huang"], ["趙", "zhao"], ["吳", "wu"], ["周", "zhou"]] as const;
const ZH_GIVEN = [["小明", "xiaoming"], ["美玲", "meiling"], ["志強", "zhiqiang"], ["家豪", "jiahao"], ["淑芬", "shufen"], ["俊傑", "junjie"], ["怡君", "yijun"], ["建華", "jianhua"], ["雅婷", "yating"], ["冠宇", "guanyu"]] as const;

const COMMENTS: Record<Language, string[]> = {
  en: ["Which version are you on?", "Can you post a screenshot of the settings page?", "Same problem here since Monday.", "This worked for me, thanks!", "Did you try it in a private window?", "Please add the exact error message.", "Is this on the web app or the mobile app?", "Confirmed, we see it too.", "The linked article explains the limits.", "Marking this as solved helps others find it."],
  ro: ["Ce versiune folosiți?", "Puteți pune o captură a paginii de setări?", "Aceeași problemă și la noi de luni.", "Mi-a mers, mulțumesc!", "Ați încercat într-o fereastră privată?", "Adăugați vă rog mesajul exact de eroare."],
  "zh-Hant": ["你用的是哪個版本？", "可以貼一張設定頁面的截圖嗎？", "我們從星期一開始也有同樣的問題。", "這個方法對我有效，謝謝！", "請提供完整的錯誤訊息。"],
  "zh-Hans": ["你用的是哪个版本？", "可以贴一张设置页面的截图吗？", "我们从星期一开始也有同样的问题。", "这个方法对我有效，谢谢！", "请提供完整的错误信息。"],
};

// ------------------------------------------------------------------------------------------------
// Text: titles, bodies, and the HTML the app renders for them
// ------------------------------------------------------------------------------------------------

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function title(language: Language): string {
  if (language === "en") {
    const e = EN;
    switch (randInt(0, 5)) {
      case 0:
        return `How do I ${pick(e.actions)} ${pick(e.objects)}${pick(e.contexts)}?`;
      case 1:
        return `${capitalize(pick(e.objects))} ${pick(e.problems)}${pick(e.contexts)}`;
      case 2:
        return `Why does ${pick(e.objects)} keep failing${pick(e.contexts) || " every day"}?`;
      case 3:
        return `Is it possible to ${pick(e.actions)} ${pick(e.objects)}${pick(e.contexts)}?`;
      case 4:
        return `Error "${capitalize(pick(e.problems))}" when I ${pick(e.actions)} ${pick(e.objects)}`;
      default:
        return `Best way to ${pick(e.actions)} ${pick(e.objects)} for ${pick(e.audiences)}?`;
    }
  }
  if (language === "ro") {
    const r = RO;
    switch (randInt(0, 2)) {
      case 0:
        return `Cum ${pick(r.actions)} ${pick(r.objects)}${pick(r.contexts)}?`;
      case 1:
        return `${capitalize(pick(r.objects))} ${pick(r.problems)}${pick(r.contexts)}`;
      default:
        return `De ce ${pick(r.objects)} ${pick(r.problems)}${pick(r.contexts) || " de ieri"}?`;
    }
  }
  const z = language === "zh-Hant" ? ZH_HANT : ZH_HANS;
  const ask = language === "zh-Hant" ? ["如何", "請問要怎麼"] : ["如何", "请问要怎么"];
  let text = chance(0.5) ? `${pick(z.contexts)}，${pick(ask)}${pick(z.actions)}${pick(z.objects)}？` : `${pick(z.objects)}${pick(z.problems)}，${pick(z.contexts)}${language === "zh-Hant" ? "該怎麼辦" : "该怎么办"}？`;
  while (text.length < 15) text = `${pick(z.contexts)}，${text}`;
  return text;
}

/** One body: 50-200 words (Chinese: terms) in 1-4 paragraphs. */
function paragraphs(language: Language, minWords: number, maxWords: number): string[] {
  // The last sentence may overshoot the target by up to 16 words: stay within maxWords.
  const target = randInt(minWords, maxWords - 16);
  const chinese = language === "zh-Hant" || language === "zh-Hans";
  const list = language === "en" ? EN : language === "ro" ? RO : language === "zh-Hant" ? ZH_HANT : ZH_HANS;
  const sentences: string[] = [];
  let words = 0;
  while (words < target) {
    let sentence: string;
    let count: number;
    if (chance(0.3)) {
      sentence = pick(list.sentences);
      count = chinese ? Math.ceil(sentence.length / 2) : sentence.split(" ").length;
    } else {
      count = randInt(6, 16);
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(pick(list.words));
      if (chinese) {
        const comma = randInt(2, count - 2);
        sentence = `${parts.slice(0, comma).join("")}，${parts.slice(comma).join("")}。`;
      } else {
        sentence = `${capitalize(parts.join(" "))}${chance(0.15) ? "?" : "."}`;
      }
    }
    sentences.push(sentence);
    words += count;
  }
  const paragraphCount = Math.min(sentences.length, randInt(1, 4));
  const out: string[] = [];
  const per = Math.ceil(sentences.length / paragraphCount);
  for (let i = 0; i < sentences.length; i += per) out.push(sentences.slice(i, i + per).join(chinese ? "" : " "));
  return out;
}

/** Text escaping of render-rich-text.server.ts (sanitize-html leaves it as is: checked on a sample at start). */
function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type Body = { json: string; html: string; text: string };

function body(language: Language, minWords: number, maxWords: number): Body {
  const paras = paragraphs(language, minWords, maxWords);
  const doc = { type: "doc", content: paras.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) };
  return { json: JSON.stringify(doc), html: paras.map((p) => `<p>${escapeText(p)}</p>`).join(""), text: paras.join("\n") };
}

/** Refuses to write anything if our HTML or plain text differ from what the app makes of the same document. */
function checkRenderingMatchesApp(): void {
  const languages: Language[] = ["en", "ro", "zh-Hant", "zh-Hans"];
  for (let i = 0; i < 400; i++) {
    const b = body(languages[i % 4], 50, 200);
    const doc = JSON.parse(b.json) as Parameters<typeof renderRichText>[0];
    const html = renderRichText(doc);
    const text = docToPlainText(doc).trim();
    if (html !== b.html || text !== b.text) {
      throw new Error(`Generated body differs from the app's rendering:\n  ours: ${b.html.slice(0, 300)}\n  app:  ${html.slice(0, 300)}`);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Progress (stderr): the bar of ./progress.ts, and a line per step
// ------------------------------------------------------------------------------------------------

const started = Date.now();

function step(message: string): void {
  process.stderr.write(`${message} (${duration(Date.now() - started)})\n`);
}

// ------------------------------------------------------------------------------------------------
// The plan: everything but the texts, decided before the first write
// ------------------------------------------------------------------------------------------------

type Role = "member" | "moderator" | "staff" | "admin";
const ADMINS = 3;
const STAFF = Math.max(5, Math.round(40 * Math.min(1, SCALE * 4)));
const MODERATORS = Math.max(3, Math.round(15 * Math.min(1, SCALE * 4)));
const roleOf = (i: number): Role => (i < ADMINS ? "admin" : i < ADMINS + STAFF ? "staff" : i < ADMINS + STAFF + MODERATORS ? "moderator" : "member");

const EARLY_USERS = Math.floor(USERS * 0.2);
const USER_SPREAD = SPAN * 0.97;
/** Members join over time: a fifth in the 90 days before the period, the rest evenly across it. */
function userCreatedAt(i: number): number {
  return i < EARLY_USERS ? START - 90 * DAY + (i / EARLY_USERS) * 90 * DAY : START + ((i - EARLY_USERS) / (USERS - EARLY_USERS)) * USER_SPREAD;
}
/** How many members exist at time t (members 0 … n-1 joined at or before t). */
function usersAt(t: number): number {
  if (t < START) return Math.max(1, Math.min(EARLY_USERS, Math.floor(((t - (START - 90 * DAY)) / (90 * DAY)) * EARLY_USERS) + 1));
  return Math.min(USERS, EARLY_USERS + Math.floor(((t - START) / USER_SPREAD) * (USERS - EARLY_USERS)) + 1);
}
const answererAt = (t: number) => Math.floor(usersAt(t) * rand() * rand()); // long-time members answer most
const staffMember = () => randInt(0, ADMINS + STAFF - 1);

type Plan = ReturnType<typeof makePlan>;

function makePlan() {
  const languages: Language[] = ["en", "ro", "zh-Hant", "zh-Hans"];
  const pickLanguage = weightedPicker([80, 10, 5, 5]);
  const pickCategory = weightedPicker(CATEGORIES.map((_, i) => 1 / (i + 2) ** 0.6));
  const pickTag = weightedPicker(Array.from({ length: TAGS }, (_, i) => 1 / (i + 1) ** 0.9));
  const pickTagCount = weightedPicker([20, 30, 28, 14, 8]);

  // Threads, oldest first (ids follow time), denser towards today as the community grows.
  const created = new Float64Array(THREADS);
  const author = new Int32Array(THREADS);
  const category = new Int32Array(THREADS);
  const language = new Uint8Array(THREADS);
  const tags: number[][] = [];
  const popularity = new Float64Array(THREADS);
  for (let i = 0; i < THREADS; i++) {
    created[i] = Math.min(NOW - 120_000, START + SPAN * Math.sqrt((i + rand()) / THREADS));
    author[i] = Math.floor(rand() * usersAt(created[i]));
    category[i] = pickCategory();
    language[i] = pickLanguage();
    const wanted = pickTagCount() + 1;
    const set = new Set<number>();
    while (set.size < wanted) set.add(pickTag());
    tags.push([...set]);
    popularity[i] = logNormal(1, 0.9);
  }

  // Answers per thread: a skewed draw, then nudged to the exact total. Two showcase threads get
  // exactly 10 and exactly 100 answers.
  const answers = new Int32Array(THREADS);
  const pickBucket = weightedPicker([25, 28, 20, 10, 8, 5, 2, 0.3]);
  const buckets: [number, number][] = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 6], [7, 15], [16, 60], [100, 250]];
  for (let i = 0; i < THREADS; i++) {
    const [lo, hi] = buckets[pickBucket()];
    answers[i] = randInt(lo, hi);
  }
  const ten = Math.floor(THREADS * 0.62);
  const hundred = Math.floor(THREADS * 0.41);
  answers[ten] = 10;
  answers[hundred] = 100;
  let sum = answers.reduce((a, b) => a + b, 0);
  while (sum !== ANSWERS) {
    const i = Math.floor(rand() * THREADS);
    if (i === ten || i === hundred) continue;
    if (sum > ANSWERS && answers[i] >= 2 && answers[i] <= 60) {
      answers[i]--;
      sum--;
    } else if (sum < ANSWERS && answers[i] >= 1 && answers[i] < 60) {
      answers[i]++;
      sum++;
    }
  }
  for (let i = 0; i < THREADS; i++) if (answers[i] >= 50) popularity[i] *= 6;

  // Posts: the question, then its answers in time order.
  const postCount = THREADS + ANSWERS;
  const postStart = new Int32Array(THREADS + 1);
  const postCreated = new Float64Array(postCount);
  const postAuthor = new Int32Array(postCount);
  const postThread = new Int32Array(postCount);
  const quality = new Float64Array(postCount);
  const accepted = new Int32Array(THREADS).fill(-1);
  const resolvedAt = new Float64Array(THREADS).fill(NaN);
  let p = 0;
  for (let i = 0; i < THREADS; i++) {
    postStart[i] = p;
    postCreated[p] = created[i];
    postAuthor[p] = author[i];
    postThread[p] = i;
    quality[p] = 1;
    p++;
    const n = answers[i];
    if (n === 0) continue;
    const gaps: number[] = [];
    let t = 0;
    for (let k = 0; k < n; k++) {
      t += k === 0 ? logNormal(2 * HOUR, 1.4) : n >= 50 ? logNormal(3 * HOUR, 1.2) : logNormal(8 * HOUR, 1.5);
      gaps.push(t);
    }
    const room = NOW - created[i] - 1_000;
    const squeeze = t > room ? room / t : 1;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const at = created[i] + gaps[k] * squeeze;
      postCreated[p] = at;
      postThread[p] = i;
      const byStaff = chance(0.08);
      let who = byStaff ? staffMember() : answererAt(at);
      if (who === author[i] && !byStaff) who = answererAt(at);
      postAuthor[p] = who;
      quality[p] = logNormal(1, 0.8) * (roleOf(who) === "staff" || roleOf(who) === "admin" ? 1.5 : 1);
      if (best === -1 || quality[p] > quality[best]) best = p;
      p++;
    }
    if (chance(0.55)) {
      const a = chance(0.65) ? best : postStart[i] + 1 + Math.floor(rand() * n);
      accepted[i] = a;
      quality[a] *= 2.5;
      resolvedAt[i] = Math.min(NOW, postCreated[a] + logNormal(6 * HOUR, 1.5));
    }
  }
  postStart[THREADS] = p;

  // Votes per post, in proportion to the thread's popularity and the answer's quality; never more
  // than the members who could have voted (minus the author).
  const voteWeight = new Float64Array(postCount);
  const voteCap = new Int32Array(postCount);
  for (let j = 0; j < postCount; j++) {
    const i = postThread[j];
    voteWeight[j] = popularity[i] * (j === postStart[i] ? 1 : 0.6 * quality[j]);
    voteCap[j] = Math.max(0, Math.min(400, usersAt(postCreated[j]) - 2));
  }
  const votes = allocate(voteWeight, VOTES, voteCap);

  // Views per thread: at least one each, the rest by popularity and activity.
  const viewWeight = new Float64Array(THREADS);
  const viewCap = new Int32Array(THREADS).fill(50_000);
  for (let i = 0; i < THREADS; i++) viewWeight[i] = popularity[i] * (1 + answers[i] / 3);
  const views = allocate(viewWeight, VIEWS, viewCap, new Int32Array(THREADS).fill(1));

  return { created, author, category, language, languages, tags, answers, postStart, postCreated, postAuthor, postThread, accepted, resolvedAt, votes, views, ten, hundred, postCount };
}

// ------------------------------------------------------------------------------------------------
// Batches
// ------------------------------------------------------------------------------------------------

type Ids = { users: string[]; categories: number[]; tags: number[]; threads: number[]; posts: number[] };

type Batch = {
  threads: { id: number[]; slug: string[]; title: string[]; category: number[]; author: string[]; score: number[]; answers: number[]; views: number[]; resolved: (string | null)[]; firstAnswer: (string | null)[]; lastActivity: string[]; created: string[] };
  links: { thread: number[]; question: number[]; accepted: (number | null)[] };
  posts: { id: number[]; thread: number[]; kind: string[]; author: string[]; json: string[]; html: string[]; text: string[]; score: number[]; byStaff: boolean[]; created: string[] };
  tags: { thread: number[]; tag: number[] };
  votes: { post: number[]; user: string[]; value: number[]; created: string[] };
  comments: { thread: number[]; post: number[]; author: string[]; body: string[]; created: string[] };
  views: { thread: number[]; visitor: string[]; day: string[]; user: (string | null)[]; at: string[] };
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Anonymous visitor ids look like the app's (16 random bytes, base64url), from a fixed pool so visitors recur across threads. */
function anonymousPool(size: number): string[] {
  const pool: string[] = [];
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < size; i++) {
    for (let b = 0; b < 16; b++) bytes[b] = Math.floor(rand() * 256);
    pool.push(`a:${bytes.toString("base64url")}`);
  }
  return pool;
}

function buildBatch(plan: Plan, ids: Ids, from: number, to: number, anonymous: string[]): Batch {
  const b: Batch = {
    threads: { id: [], slug: [], title: [], category: [], author: [], score: [], answers: [], views: [], resolved: [], firstAnswer: [], lastActivity: [], created: [] },
    links: { thread: [], question: [], accepted: [] },
    posts: { id: [], thread: [], kind: [], author: [], json: [], html: [], text: [], score: [], byStaff: [], created: [] },
    tags: { thread: [], tag: [] },
    votes: { post: [], user: [], value: [], created: [] },
    comments: { thread: [], post: [], author: [], body: [], created: [] },
    views: { thread: [], visitor: [], day: [], user: [], at: [] },
  };
  for (let i = from; i < to; i++) {
    const threadId = ids.threads[i];
    const language = plan.languages[plan.language[i]];
    const created = plan.created[i];
    let lastActivity = created;
    let questionScore = 0;
    const first = plan.postStart[i];
    const end = plan.postStart[i + 1];
    for (let j = first; j < end; j++) {
      const postId = ids.posts[j];
      const at = plan.postCreated[j];
      const authorIndex = plan.postAuthor[j];
      const isQuestion = j === first;
      const text = body(isQuestion || chance(0.9) ? language : "en", isQuestion ? 60 : 50, isQuestion ? 200 : 160);
      // Votes: distinct members who existed when the post was written, never its author.
      const voters = new Set<number>();
      const available = plan.votes[j] > 0 ? Math.max(2, usersAt(at)) : 0;
      let score = 0;
      while (voters.size < plan.votes[j]) {
        const v = Math.floor(rand() * available);
        if (v === authorIndex || voters.has(v)) continue;
        voters.add(v);
        const value = chance(plan.accepted[i] === j ? 0.03 : 0.1) ? -1 : 1;
        score += value;
        b.votes.post.push(postId);
        b.votes.user.push(ids.users[v]);
        b.votes.value.push(value);
        b.votes.created.push(iso(Math.min(NOW, at + logNormal(DAY, 1.5))));
      }
      if (isQuestion) questionScore = score;
      else lastActivity = Math.max(lastActivity, at);
      const role = roleOf(authorIndex);
      b.posts.id.push(postId);
      b.posts.thread.push(threadId);
      b.posts.kind.push(isQuestion ? "question" : "answer");
      b.posts.author.push(ids.users[authorIndex]);
      b.posts.json.push(text.json);
      b.posts.html.push(text.html);
      b.posts.text.push(text.text);
      b.posts.score.push(score);
      b.posts.byStaff.push(role === "staff" || role === "admin");
      b.posts.created.push(iso(at));
      if (chance(0.12)) {
        const count = randInt(1, 3);
        for (let c = 0; c < count; c++) {
          const when = Math.min(NOW, at + logNormal(2 * HOUR, 1.5));
          b.comments.thread.push(threadId);
          b.comments.post.push(postId);
          b.comments.author.push(ids.users[chance(0.5) ? plan.author[i] : answererAt(when)]);
          b.comments.body.push(pick(COMMENTS[language]));
          b.comments.created.push(iso(when));
          lastActivity = Math.max(lastActivity, when);
        }
      }
    }
    const acceptedPost = plan.accepted[i];
    if (acceptedPost >= 0) lastActivity = Math.max(lastActivity, plan.resolvedAt[i]);
    const title = titleFor(i, language);
    b.threads.id.push(threadId);
    b.threads.slug.push(threadSlug(title));
    b.threads.title.push(title);
    b.threads.category.push(ids.categories[plan.category[i]]);
    b.threads.author.push(ids.users[plan.author[i]]);
    b.threads.score.push(questionScore);
    b.threads.answers.push(plan.answers[i]);
    b.threads.views.push(plan.views[i]);
    b.threads.resolved.push(acceptedPost >= 0 ? iso(plan.resolvedAt[i]) : null);
    b.threads.firstAnswer.push(plan.answers[i] > 0 ? iso(plan.postCreated[first + 1]) : null);
    b.threads.lastActivity.push(iso(lastActivity));
    b.threads.created.push(iso(created));
    b.links.thread.push(threadId);
    b.links.question.push(ids.posts[first]);
    b.links.accepted.push(acceptedPost >= 0 ? ids.posts[acceptedPost] : null);
    for (const t of plan.tags[i]) {
      b.tags.thread.push(threadId);
      b.tags.tag.push(ids.tags[t]);
    }
    // Views: distinct visitors (so one row per visitor per day holds), a third of them members,
    // most in the weeks after the question was asked.
    const seen = new Set<number>();
    const members = usersAt(created);
    while (seen.size < plan.views[i]) {
      const member = chance(0.33);
      const key = member ? Math.floor(rand() * members) : USERS + Math.floor(rand() * anonymous.length);
      if (seen.has(key)) continue;
      seen.add(key);
      const at = created + (NOW - created) * rand() ** 3;
      b.views.thread.push(threadId);
      b.views.visitor.push(member ? `u:${ids.users[key]}` : anonymous[key - USERS]);
      b.views.day.push(iso(at).slice(0, 10));
      b.views.user.push(member ? ids.users[key] : null);
      b.views.at.push(iso(at));
    }
  }
  return b;
}

/** Titles are drawn in thread order from their own generator, so bodies do not shift them. */
const titleState = { seed: 0 };
function titleFor(i: number, language: Language): string {
  const saved = prngState;
  prngState = (titleState.seed + Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  const text = title(language);
  prngState = saved;
  return text;
}

async function writeBatch(client: pg.Client, b: Batch): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO threads (id, slug, title, category_id, author_id, score, answer_count, view_count, resolved_at, first_answer_at, last_activity_at, created_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::int[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])`,
      [b.threads.id, b.threads.slug, b.threads.title, b.threads.category, b.threads.author, b.threads.score, b.threads.answers, b.threads.views, b.threads.resolved, b.threads.firstAnswer, b.threads.lastActivity, b.threads.created],
    );
    await client.query(
      `INSERT INTO posts (id, thread_id, kind, author_id, body_json, body_html, body_text, score, by_staff, created_at, updated_at)
       SELECT u.id, u.thread_id, u.kind, u.author_id, u.body_json, u.body_html, u.body_text, u.score, u.by_staff, u.created_at, u.created_at
       FROM unnest($1::bigint[], $2::bigint[], $3::"PostKind"[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::int[], $9::boolean[], $10::timestamptz[])
         AS u(id, thread_id, kind, author_id, body_json, body_html, body_text, score, by_staff, created_at)`,
      [b.posts.id, b.posts.thread, b.posts.kind, b.posts.author, b.posts.json, b.posts.html, b.posts.text, b.posts.score, b.posts.byStaff, b.posts.created],
    );
    // Revision 1 of every post, copied from the rows just written (the question's carries the title).
    await client.query(
      `INSERT INTO post_revisions (post_id, revision, editor_id, title, body_json, body_text, created_at)
       SELECT p.id, 1, p.author_id, CASE WHEN p.kind = 'question' THEN t.title END, p.body_json, p.body_text, p.created_at
       FROM posts p JOIN threads t ON t.id = p.thread_id
       WHERE p.thread_id = ANY($1::bigint[])`,
      [b.threads.id],
    );
    await client.query(
      `UPDATE threads t SET question_post_id = u.question, accepted_answer_id = u.accepted
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(id, question, accepted) WHERE t.id = u.id`,
      [b.links.thread, b.links.question, b.links.accepted],
    );
    await client.query(`INSERT INTO thread_tags (thread_id, tag_id) SELECT * FROM unnest($1::bigint[], $2::int[])`, [b.tags.thread, b.tags.tag]);
    await client.query(
      `INSERT INTO votes (post_id, user_id, value, created_at, updated_at)
       SELECT u.post_id, u.user_id, u.value, u.created_at, u.created_at FROM unnest($1::bigint[], $2::text[], $3::smallint[], $4::timestamptz[]) AS u(post_id, user_id, value, created_at)`,
      [b.votes.post, b.votes.user, b.votes.value, b.votes.created],
    );
    await client.query(
      `INSERT INTO comments (thread_id, post_id, author_id, body, created_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[])`,
      [b.comments.thread, b.comments.post, b.comments.author, b.comments.body, b.comments.created],
    );
    await client.query(
      `INSERT INTO thread_views (thread_id, visitor_key, day, user_id, viewed_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::date[], $4::text[], $5::timestamptz[])`,
      [b.views.thread, b.views.visitor, b.views.day, b.views.user, b.views.at],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------
// Users, categories, tags, ids
// ------------------------------------------------------------------------------------------------

/** Shaped like Prisma's cuid() ids; random rather than seeded, so another run (--force) never collides. */
function cuidLike(): string {
  const bytes = crypto.randomBytes(24);
  let s = "c";
  for (let i = 0; i < 24; i++) s += "abcdefghijklmnopqrstuvwxyz0123456789"[bytes[i] % 36];
  return s;
}

const fold = (s: string) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

async function insertUsers(client: pg.Client, passwordHash: string, runTag: string): Promise<{ ids: string[]; sampleEmail: string }> {
  const progress = new Progress("members", USERS);
  const ids: string[] = [];
  let sampleEmail = "";
  for (let from = 0; from < USERS; from += 10_000) {
    const to = Math.min(USERS, from + 10_000);
    const cols = { id: [] as string[], email: [] as string[], handle: [] as string[], name: [] as string[], role: [] as string[], created: [] as string[] };
    for (let i = from; i < to; i++) {
      const kind = rand();
      let handleBase: string;
      let name: string;
      if (kind < 0.7) {
        const first = pick(FIRST_EN);
        const last = pick(LAST_EN);
        handleBase = `${first}.${last}`;
        name = `${capitalize(first)} ${capitalize(last)}`;
      } else if (kind < 0.85) {
        const first = pick(FIRST_RO);
        const last = pick(LAST_RO);
        handleBase = fold(`${first}.${last}`);
        name = `${first} ${last}`;
      } else {
        const [surname, surnameLatin] = pick(ZH_SURNAMES);
        const [given, givenLatin] = pick(ZH_GIVEN);
        handleBase = `${surnameLatin}.${givenLatin}`;
        name = `${surname}${given}`;
      }
      const local = `${handleBase}${i}${runTag}`;
      const id = cuidLike();
      ids.push(id);
      cols.id.push(id);
      cols.email.push(`${local}@${EMAIL_DOMAIN}`);
      cols.handle.push(local.replace(/\./g, "_").slice(0, 30));
      cols.name.push(name);
      cols.role.push(roleOf(i));
      cols.created.push(iso(userCreatedAt(i)));
      if (!sampleEmail && roleOf(i) === "member") sampleEmail = `${local}@${EMAIL_DOMAIN}`;
    }
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO users (id, email, email_normalized, handle, display_name, role, created_at, updated_at)
       SELECT u.id, u.email, lower(u.email), u.handle, u.name, u.role, u.created_at, u.created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::"Role"[], $6::timestamptz[]) AS u(id, email, handle, name, role, created_at)`,
      [cols.id, cols.email, cols.handle, cols.name, cols.role, cols.created],
    );
    await client.query(`INSERT INTO passwords (user_id, hash) SELECT id, $2 FROM unnest($1::text[]) AS u(id)`, [cols.id, passwordHash]);
    await client.query("COMMIT");
    progress.update(to);
  }
  progress.finish();
  return { ids, sampleEmail };
}

async function insertCategoriesAndTags(client: pg.Client): Promise<{ categories: number[]; tags: number[]; tagNames: string[] }> {
  const categories: number[] = [];
  for (const [position, [slug, name, description]] of CATEGORIES.entries()) {
    // An existing category with the same slug (the demo's, or an earlier run's) is reused.
    const r = await client.query<{ id: number }>(
      `INSERT INTO categories (slug, name, description, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
      [slug, name, description, position],
    );
    categories.push(r.rows[0].id);
  }
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (names.length < TAGS && !seen.has(name) && name.length <= 30) {
      seen.add(name);
      names.push(name);
    }
  };
  for (const base of TAG_BASES) add(base);
  for (const aspect of TAG_ASPECTS) for (const base of TAG_BASES) add(`${base}-${aspect}`);
  const r = await client.query<{ id: number; name: string }>(
    `INSERT INTO tags (name, thread_count) SELECT name, 0 FROM unnest($1::text[]) AS u(name)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name`,
    [names],
  );
  const byName = new Map(r.rows.map((row) => [row.name, row.id]));
  return { categories, tags: names.map((n) => byName.get(n)!), tagNames: names };
}

/** Reserves `count` ids from a table's own sequence, so nothing else can take them. */
async function reserveIds(client: pg.Client, table: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += 100_000) {
    const n = Math.min(100_000, count - done);
    const r = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence($1, 'id'))::text AS id FROM generate_series(1, $2)`, [table, n]);
    for (const row of r.rows) ids.push(Number(row.id));
  }
  return ids.sort((a, b) => a - b);
}

// ------------------------------------------------------------------------------------------------
// Checks after writing
// ------------------------------------------------------------------------------------------------

// The same checks the scale-out test runs after its load (app/cli/counter-checks.ts).
const CHECKS = COUNTER_CHECKS;

async function verify(client: pg.Client): Promise<number> {
  let problems = 0;
  for (const [what, sql] of CHECKS) {
    const r = await client.query<{ count: string }>(sql);
    const n = Number(Object.values(r.rows[0])[0]);
    problems += n;
    console.log(`  ${n === 0 ? "ok " : "BAD"} ${fmt(n)} ${what}`);
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const client = new pg.Client({ connectionString: DATABASE_URL, application_name: "threadwise seed:large" });
  await client.connect();
  try {
    const migrated = await client.query<{ ok: boolean }>(`SELECT to_regclass('public.threads') IS NOT NULL AND to_regclass('public.thread_views') IS NOT NULL AS ok`);
    if (!migrated.rows[0].ok) {
      console.error("This database has no Q&A tables: run `npm run db:migrate` with the same DATABASE_URL first. Nothing was written.");
      return 2;
    }
    const existing = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM threads")).rows[0].n);
    if (existing > EXISTING_THREADS_LIMIT && !options.force) {
      console.error(`This database already has ${fmt(existing)} threads (more than ${fmt(EXISTING_THREADS_LIMIT)}): it looks filled already. Use a fresh database, or pass --force to add another ${fmt(THREADS)}. Nothing was written.`);
      return 2;
    }
    const eventsBefore = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM domain_events")).rows[0].n);
    const host = new URL(DATABASE_URL!).host;
    const database = new URL(DATABASE_URL!).pathname.slice(1);
    console.log(`Filling ${database} at ${host}: ${fmt(USERS)} members, ${fmt(THREADS)} questions, ${fmt(ANSWERS)} answers, ${fmt(VOTES)} votes, ~${fmt(VIEWS)} views (scale ${SCALE}, seed ${options.seed}).`);

    checkRenderingMatchesApp();
    const passwordHash = await hashPassword(options.password);
    titleState.seed = (Number(options.seed) * 7919) >>> 0;
    // Another run on the same database (--force) gets other e-mails and handles.
    const taken = await client.query("SELECT 1 FROM users WHERE email_normalized LIKE $1 LIMIT 1", [`%@${EMAIL_DOMAIN}`]);
    const runTag = taken.rowCount ? `r${Date.now().toString(36).slice(-5)}` : "";

    await client.query("SET synchronous_commit = off");
    const plan = makePlan();
    step(`Planned ${fmt(plan.postCount)} posts, ${fmt(plan.votes.reduce((a, b) => a + b, 0))} votes, ${fmt(plan.views.reduce((a, b) => a + b, 0))} views`);

    const { ids: userIds, sampleEmail } = await insertUsers(client, passwordHash, runTag);
    const { categories, tags } = await insertCategoriesAndTags(client);
    const ids: Ids = {
      users: userIds,
      categories,
      tags,
      threads: await reserveIds(client, "threads", THREADS),
      posts: await reserveIds(client, "posts", plan.postCount),
    };
    step(`Members, ${categories.length} categories and ${tags.length} tags written; ids reserved`);

    const anonymous = anonymousPool(Math.max(20_000, Math.round(400_000 * SCALE)));
    const progress = new Progress("threads", THREADS);
    const totals = { posts: 0, votes: 0, comments: 0, views: 0 };
    let writing: Promise<void> | null = null;
    for (let from = 0; from < THREADS; from += THREADS_PER_BATCH) {
      const to = Math.min(THREADS, from + THREADS_PER_BATCH);
      // Built while PostgreSQL writes the previous batch.
      const batch = buildBatch(plan, ids, from, to, anonymous);
      if (writing) await writing;
      writing = writeBatch(client, batch).then(() => {
        totals.posts += batch.posts.id.length;
        totals.votes += batch.votes.post.length;
        totals.comments += batch.comments.post.length;
        totals.views += batch.views.thread.length;
        progress.update(to, `posts ${fmt(totals.posts)}  votes ${fmt(totals.votes)}  views ${fmt(totals.views)}`);
      });
    }
    await writing;
    progress.finish(`posts ${fmt(totals.posts)}  votes ${fmt(totals.votes)}  views ${fmt(totals.views)}`);

    await client.query(
      `UPDATE tags g SET thread_count = c.n FROM (SELECT tag_id, count(*)::int AS n FROM thread_tags WHERE tag_id = ANY($1::int[]) GROUP BY tag_id) c
       WHERE g.id = c.tag_id AND g.thread_count <> c.n`,
      [tags],
    );
    step("Tag counts written; vacuuming and analyzing");
    await client.query("VACUUM (ANALYZE) threads");
    await client.query("ANALYZE");
    step("Analyzed");

    const showcase = async (answers: number) => {
      const r = await client.query<{ id: string; slug: string; title: string }>(
        "SELECT id::text, slug, title FROM threads WHERE answer_count = $1 AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT 1",
        [answers],
      );
      return r.rows[0];
    };
    const counts = (await client.query<Record<string, string>>(`
      SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM categories) AS categories, (SELECT count(*) FROM tags) AS tags,
        (SELECT count(*) FROM threads) AS threads, (SELECT count(*) FROM posts WHERE kind = 'question') AS questions,
        (SELECT count(*) FROM posts WHERE kind = 'answer') AS answers, (SELECT count(*) FROM post_revisions) AS revisions,
        (SELECT count(*) FROM votes) AS votes, (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM thread_views) AS views,
        (SELECT count(*) FROM threads WHERE accepted_answer_id IS NOT NULL) AS resolved, (SELECT count(*) FROM threads WHERE answer_count > 0) AS answered,
        (SELECT count(*) FROM thread_tags) AS thread_tags, (SELECT count(*) FROM domain_events) AS events,
        (SELECT max(answer_count) FROM threads) AS max_answers, (SELECT count(*) FROM threads WHERE answer_count >= 100) AS hot,
        pg_size_pretty(pg_database_size(current_database())) AS size`)).rows[0];
    const appUrl = (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
    const t10 = await showcase(10);
    const t100 = await showcase(100);

    console.log("");
    console.log(`Done in ${duration(Date.now() - started)}. The database now holds (all rows, not only this run's):`);
    console.log(`  members ${fmt(+counts.users)}, categories ${counts.categories}, tags ${counts.tags}, thread tags ${fmt(+counts.thread_tags)}`);
    console.log(`  questions ${fmt(+counts.threads)} (threads) / ${fmt(+counts.questions)} (question posts), answers ${fmt(+counts.answers)}, revisions ${fmt(+counts.revisions)}`);
    console.log(`  answered ${fmt(+counts.answered)}, resolved ${fmt(+counts.resolved)} (${Math.round((100 * +counts.resolved) / Math.max(1, +counts.answered))} % of answered), hot threads (100+ answers) ${counts.hot}, most answers ${counts.max_answers}`);
    console.log(`  votes ${fmt(+counts.votes)}, comments ${fmt(+counts.comments)}, thread views ${fmt(+counts.views)}; domain events ${fmt(+counts.events)} (${fmt(+counts.events - eventsBefore)} added)`);
    console.log(`  database size ${counts.size}`);
    console.log("");
    if (t10) console.log(`A thread with 10 answers:  ${appUrl}/questions/${t10.id}/${t10.slug}`);
    if (t100) console.log(`A thread with 100 answers: ${appUrl}/questions/${t100.id}/${t100.slug}`);
    console.log(`Every seeded member (${fmt(USERS)}, e-mails @${EMAIL_DOMAIN}) signs in with the password: ${options.password}`);
    console.log(`  for example ${sampleEmail}; the shared argon2id hash is ${passwordHash}`);

    if (options["skip-verify"]) return 0;
    console.log("\nChecking that every counter matches its rows:");
    const problems = await verify(client);
    console.log(problems === 0 ? `All checks passed (${duration(Date.now() - started)} in all).` : `${fmt(problems)} inconsistencies found.`);
    return problems === 0 ? 0 : 1;
  } finally {
    await client.end();
  }
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error("\nseed:large failed:", error);
}
process.exit(exitCode);
