/**
 * The demo community's past months (issue 24): resolved questions in every category, in English,
 * Romanian and Chinese, whose accepted answers make one regular member the category's expert by the
 * real rule (BADGE_THRESHOLDS: ten accepted answers there, answers scoring at least one on average).
 * The seed writes them through the same use cases as real members, oldest first, and dates each act
 * (seed-demo.server.ts); the reputation they earn is the ledger's, from the real points table.
 */
export type HistoryThread = {
  category: string;
  asker: string;
  title: string;
  tags: string[];
  body: string;
  /** The answer the asker accepts. */
  accepted: { author: string; body: string };
  /** Another helpful answer, voted up, not accepted. */
  also?: { author: string; body: string };
};

/** Members who only ask in the demo's history (password `demo-<handle>-pass`, like DEMO_MEMBERS). */
export const HISTORY_MEMBERS = [
  { handle: "andrei-ionescu", displayName: "Andrei Ionescu", email: "andrei@threadwise.demo", language: "ro" as const },
  { handle: "zhang-min", displayName: "张敏", email: "zhang@threadwise.demo", language: "zh-Hans" as const },
];

/** The expert each category's history makes (the demo's regular helpers). */
export const HISTORY_EXPERTS: Record<string, string> = { billing: "omar-k", account: "ioana-pop", integrations: "wei-chen", mobile: "li-na" };

const billing: HistoryThread[] = [
  {
    category: "billing", asker: "max-member", title: "Can I switch from monthly to yearly billing in the middle of a cycle?", tags: ["plans", "billing"],
    body: "We are on the monthly plan and want the yearly discount. Do we lose the days already paid this month?",
    accepted: { author: "omar-k", body: "No days are lost: Billing → Plan → Switch to yearly credits the unused part of this month against the first yearly invoice." },
  },
  {
    category: "billing", asker: "andrei-ionescu", title: "De ce mi s-a facturat de două ori luna aceasta?", tags: ["facturare", "plăți"],
    body: "Văd două plăți identice pe extrasul de cont pentru abonamentul din noiembrie. Este o greșeală?",
    accepted: { author: "omar-k", body: "Una dintre ele este doar o autorizare temporară de la bancă și dispare în câteva zile. Dacă rămân două plăți după o săptămână, scrie la suport cu numărul facturii." },
    also: { author: "sam-support", body: "Am verificat contul: a doua sumă este o autorizare și a fost deja anulată de bancă." },
  },
  {
    category: "billing", asker: "zhang-min", title: "取消订阅以后如何申请退款？", tags: ["退款", "billing"],
    body: "我们上周取消了年度订阅，请问剩下的月份可以退款吗？需要提供什么资料？",
    accepted: { author: "omar-k", body: "年度订阅在取消后 30 天内可以按剩余月份退款。请在 账单 → 发票 找到最近一张发票，点击“申请退款”，一般 5 个工作日内到账。" },
  },
  {
    category: "billing", asker: "li-na", title: "Where do I add our VAT number so it shows on invoices?", tags: ["invoices", "tax"],
    body: "Our finance team needs the company VAT number on every invoice. I cannot find a field for it.",
    accepted: { author: "omar-k", body: "Billing → Company details has a Tax ID field. Invoices issued after you save it show the number; ask support to reissue older ones." },
    also: { author: "max-member", body: "Our accountant needed last year's invoices with the number too: support reissued them within a day." },
  },
  {
    category: "billing", asker: "wei-chen", title: "Our card is declined but the bank says the payment was never attempted", tags: ["payments", "billing"],
    body: "The renewal fails with 'card declined'. The bank sees no attempt at all. What else can block it?",
    accepted: { author: "omar-k", body: "Usually 3-D Secure: open the invoice link in the failure e-mail and pay from there so your bank can ask for the confirmation code." },
    also: { author: "max-member", body: "Same thing happened to us with a corporate card: the card had online payments abroad switched off." },
  },
  {
    category: "billing", asker: "ioana-pop", title: "Pot plăti prin transfer bancar în loc de card?", tags: ["plăți", "facturare"],
    body: "Departamentul financiar preferă ordin de plată. Există această opțiune pentru abonamentul anual?",
    accepted: { author: "omar-k", body: "Da, pentru planurile anuale: în Setări → Facturare alege „Plată prin transfer”, iar factura va avea IBAN-ul și referința de plată." },
  },
  {
    category: "billing", asker: "max-member", title: "Do unused seats get refunded when we downgrade?", tags: ["plans", "seats"],
    body: "We removed five people from the team. Is the difference refunded or credited?",
    accepted: { author: "omar-k", body: "Removed seats become credit on your next invoice, prorated to the day. Refunds to the card only happen when you cancel." },
  },
  {
    category: "billing", asker: "zhang-min", title: "可以用公司的采购单付款吗？", tags: ["payments", "发票"],
    body: "公司要求所有软件都通过采购单付款，请问支持吗？",
    accepted: { author: "omar-k", body: "支持。年度方案可以在结账时选择“采购单”，填写采购单号后，发票上会显示这个编号，付款期限是 30 天。" },
  },
];

const account: HistoryThread[] = [
  {
    category: "account", asker: "max-member", title: "How do I change the e-mail address I sign in with?", tags: ["sign-in", "profile"],
    body: "I am moving to a new company address and want to keep my history and settings.",
    accepted: { author: "ioana-pop", body: "Account → Profile → E-mail. You confirm the new address with a link, and until then the old one keeps working." },
  },
  {
    category: "account", asker: "andrei-ionescu", title: "Cum resetez parola dacă nu primesc e-mailul de resetare?", tags: ["parolă", "sign-in"],
    body: "Am cerut resetarea parolei de trei ori, dar nu a sosit nimic, nici în spam.",
    accepted: { author: "ioana-pop", body: "Verifică dacă firma ta filtrează adresele externe: cere-i administratorului să permită domeniul nostru. Linkul de resetare este valabil o oră, deci cere unul nou după aceea." },
  },
  {
    category: "account", asker: "omar-k", title: "Can I require two-factor authentication for everyone on our account?", tags: ["2fa", "security"],
    body: "After a phishing scare we want every member of our company account to use two-factor authentication.",
    accepted: { author: "ioana-pop", body: "Admins can: Account → Security → Require two-factor authentication. Members without it are asked to set it up at their next sign-in." },
    also: { author: "mia-mod", body: "Tip: tell people before you switch it on, and remind them to download their recovery codes." },
  },
  {
    category: "account", asker: "andrei-ionescu", title: "Cum transfer contul firmei unui coleg care preia administrarea?", tags: ["administrare", "account"],
    body: "Plec din firmă luna viitoare și vreau ca un coleg să devină proprietarul contului.",
    accepted: { author: "ioana-pop", body: "Din Cont → Membri, fă-l întâi administrator, apoi folosește „Transferă proprietatea”. Colegul confirmă prin e-mail și tu rămâi membru obișnuit." },
  },
  {
    category: "account", asker: "li-na", title: "The sign-in link says it has expired after only a few minutes", tags: ["sign-in", "e-mail"],
    body: "I use the e-mailed sign-in link, but it often says expired even when I click it quickly.",
    accepted: { author: "ioana-pop", body: "Some mail scanners open links before you do, which uses them up. Sign in with your password instead, or ask your IT team to exclude our domain from link scanning." },
  },
  {
    category: "account", asker: "zhang-min", title: "同事离职后，怎样停用他的账号？", tags: ["账号", "security"],
    body: "有一位同事已经离职，我们希望他不能再登录，但保留他以前写的内容。",
    accepted: { author: "ioana-pop", body: "管理员在 账户 → 成员 里选择这位同事，点击“停用”。他的帖子和记录都会保留，只是不能再登录，之后也可以重新启用。" },
  },
  {
    category: "account", asker: "wei-chen", title: "Can I sign in with our company's Google accounts instead of passwords?", tags: ["sign-in", "sso"],
    body: "We would like people to use the accounts they already have rather than another password.",
    accepted: { author: "ioana-pop", body: "Yes, with single sign-on: an admin adds your identity provider under Account → Sign-in methods, then members pick it on the sign-in page." },
  },
  {
    category: "account", asker: "max-member", title: "Why was my account locked after a few failed sign-ins?", tags: ["sign-in", "security"],
    body: "I mistyped my password a few times and now I have to wait before trying again.",
    accepted: { author: "ioana-pop", body: "It is a short pause to slow down password guessing. Wait the few minutes shown on the page or reset your password to get in at once." },
  },
  {
    category: "account", asker: "omar-k", title: "How do I see which devices are signed in to my account?", tags: ["security", "sessions"],
    body: "I signed in on a shared computer at a conference and want to make sure it is signed out.",
    accepted: { author: "ioana-pop", body: "Account → Security lists your active sessions with their browser and last use. Sign out the one you do not recognise, or all of them." },
    also: { author: "max-member", body: "Changing your password afterwards also signs out every other session, which is what I did after a trade fair." },
  },
  {
    category: "account", asker: "andrei-ionescu", title: "Pot folosi interfața în limba română?", tags: ["limbă", "profile"],
    body: "Colegii mei ar prefera meniurile în română. Se poate schimba limba pentru fiecare utilizator?",
    accepted: { author: "ioana-pop", body: "Da: Cont → Profil → Limbă. Fiecare își alege limba, iar e-mailurile de notificare vin și ele în limba aleasă." },
  },
];

const integrations: HistoryThread[] = [
  {
    category: "integrations", asker: "max-member", title: "How do I verify the signature of a webhook delivery?", tags: ["webhooks", "security"],
    body: "I want to make sure the requests hitting my endpoint really come from you.",
    accepted: { author: "wei-chen", body: "Each delivery has a signature header: compute an HMAC-SHA256 of the raw body with your endpoint secret and compare it in constant time. Reject deliveries older than five minutes." },
  },
  {
    category: "integrations", asker: "ioana-pop", title: "Which API token scopes do I need to read invoices?", tags: ["api", "invoices"],
    body: "Our bookkeeping script only needs to read invoices. I do not want to give it full access.",
    accepted: { author: "wei-chen", body: "A token with only the invoices:read scope is enough. Create it under Account → API tokens and give it an expiry date." },
  },
  {
    category: "integrations", asker: "zhang-min", title: "API 返回 400 错误：日期参数应该用什么格式？", tags: ["api", "日期"],
    body: "我传 2024/05/01 作为 from 参数，接口一直返回 400。",
    accepted: { author: "wei-chen", body: "請使用 ISO 8601 格式，例如 2024-05-01 或 2024-05-01T00:00:00Z。斜線格式不被接受，錯誤訊息裡的 field 會指出是哪個參數。" },
  },
  {
    category: "integrations", asker: "omar-k", title: "Can I connect the Slack app to more than one channel?", tags: ["slack", "notifications"],
    body: "We want billing questions in one channel and everything else in another.",
    accepted: { author: "wei-chen", body: "Yes: add the app once, then create one rule per channel under Integrations → Slack, each filtered by category." },
    also: { author: "sam-support", body: "Staff here: the rules are checked in order, so put the most specific one first." },
  },
  {
    category: "integrations", asker: "andrei-ionescu", title: "Webhook-urile ajung de două ori; cum evit duplicatele?", tags: ["webhooks", "api"],
    body: "Uneori primim aceeași notificare de două ori și creăm două comenzi în sistemul nostru.",
    accepted: { author: "wei-chen", body: "Livrările pot fi repetate dacă endpointul răspunde greu. Folosește identificatorul livrării din antet și ignoră-l dacă l-ai procesat deja; răspunde cu 2xx în mai puțin de 10 secunde." },
  },
  {
    category: "integrations", asker: "li-na", title: "Is there a sandbox where we can test the API safely?", tags: ["api", "testing"],
    body: "I do not want our tests to create real tickets or send e-mails to customers.",
    accepted: { author: "wei-chen", body: "Create a test workspace from Account → Workspaces: it has its own tokens, sends no e-mail outside your team and can be reset at any time." },
    also: { author: "max-member", body: "We use one too. Give the test workspace its own webhook endpoints, or your production system receives the test events." },
  },
  {
    category: "integrations", asker: "li-na", title: "如何用 API 分页获取全部记录？", tags: ["api", "分页"],
    body: "列表接口每次只返回 50 条，我需要导出全部数据。",
    accepted: { author: "wei-chen", body: "每個列表回應都有 next_cursor，把它放在下一次請求的 cursor 參數裡，直到它是 null 為止。不要用頁碼，資料變動時會漏掉記錄。" },
  },
  {
    category: "integrations", asker: "max-member", title: "Our Zapier zap stopped creating tickets last week", tags: ["zapier", "api"],
    body: "Nothing changed on our side, but the zap now fails with an authentication error.",
    accepted: { author: "wei-chen", body: "Tokens created for Zapier expire after a year. Reconnect the account in Zapier (My Apps → Reconnect) and the zap runs again." },
  },
  {
    category: "integrations", asker: "ioana-pop", title: "Cum schimb cheia API fără să opresc integrarea?", tags: ["api", "securitate"],
    body: "Politica firmei cere schimbarea cheilor la 90 de zile, dar integrarea rulează non-stop.",
    accepted: { author: "wei-chen", body: "Creează o cheie nouă, pune-o în configurație, verifică în jurnal că cererile folosesc cheia nouă și abia apoi revocă-o pe cea veche. Cele două pot funcționa în paralel." },
  },
  {
    category: "integrations", asker: "andrei-ionescu", title: "Which IP addresses do webhook deliveries come from?", tags: ["webhooks", "firewall"],
    body: "Our firewall only lets in known addresses. Is there a list we can allow?",
    accepted: { author: "wei-chen", body: "The addresses are listed on the status page and can change with notice. Checking the signature is safer than an IP list, so do both if your firewall needs it." },
  },
];

const mobile: HistoryThread[] = [
  {
    category: "mobile", asker: "max-member", title: "Push notifications arrive hours late on Android", tags: ["mobile", "android"],
    body: "Replies show up in the app only when I open it, sometimes hours after they were posted.",
    accepted: { author: "li-na", body: "Android's battery optimisation delays them. Settings → Apps → Threadwise → Battery → Unrestricted fixes it on most phones." },
    also: { author: "omar-k", body: "On Samsung phones also remove the app from 'Sleeping apps'." },
  },
  {
    category: "mobile", asker: "zhang-min", title: "手机应用可以离线查看工单吗？", tags: ["mobile", "离线"],
    body: "出差的时候经常没有网络，想提前看看最近的工单。",
    accepted: { author: "li-na", body: "可以。打开工单后会自动缓存最近 30 天的内容，离线时也能查看；回复会在联网后自动发送。" },
  },
  {
    category: "mobile", asker: "omar-k", title: "The iOS app crashes when I attach a photo", tags: ["mobile", "ios"],
    body: "Choosing a photo from the library closes the app immediately. Camera photos work.",
    accepted: { author: "li-na", body: "It happens with photos in iCloud that are not downloaded yet. Update to the latest version, or allow the app full photo access in iOS Settings → Privacy → Photos." },
    also: { author: "max-member", body: "Same here on an older iPhone: allowing full photo access fixed it right away." },
  },
  {
    category: "mobile", asker: "ioana-pop", title: "Aplicația de telefon nu trimite notificări pentru răspunsuri", tags: ["mobile", "notificări"],
    body: "Pe web primesc notificări, dar pe telefon nu apare nimic când cineva îmi răspunde.",
    accepted: { author: "li-na", body: "Verifică în aplicație Setări → Notificări că „Răspunsuri” este activat, apoi în setările telefonului că aplicația are voie să trimită notificări." },
  },
  {
    category: "mobile", asker: "wei-chen", title: "How do I turn on Face ID for the app?", tags: ["mobile", "ios", "security"],
    body: "Typing my password on the phone every time is painful.",
    accepted: { author: "li-na", body: "In the app: Settings → Security → Unlock with Face ID. It needs a passcode on the phone and is asked for again after 30 days." },
  },
  {
    category: "mobile", asker: "zhang-min", title: "安卓版怎样切换成深色模式？", tags: ["mobile", "android"],
    body: "晚上用手机看工单太亮了，有深色主题吗？",
    accepted: { author: "li-na", body: "在 设置 → 外观 里选择“深色”，或者选“跟随系统”，这样手机切换到深色模式时应用也会跟着变。" },
  },
  {
    category: "mobile", asker: "andrei-ionescu", title: "Can I use the mobile app on a tablet in landscape?", tags: ["mobile", "tablet"],
    body: "On my iPad the app stays in portrait even when I turn it.",
    accepted: { author: "li-na", body: "Landscape works on tablets since version 4.2: update the app, and check that the iPad's rotation lock is off." },
  },
  {
    category: "mobile", asker: "max-member", title: "The app drains my battery in the background", tags: ["mobile", "battery"],
    body: "Since last week the app uses a fifth of my battery even when I do not open it.",
    accepted: { author: "li-na", body: "Turn off Settings → Sync → Background refresh for archived categories; syncing all of them every few minutes costs battery. The next release syncs less often." },
    also: { author: "sam-support", body: "Thanks for the report: the fix for background sync ships in the next update." },
  },
  {
    category: "mobile", asker: "andrei-ionescu", title: "Cum primesc notificări pe telefon doar pentru întrebările mele?", tags: ["mobile", "notificări"],
    body: "Primesc notificări pentru toată categoria și devine prea mult.",
    accepted: { author: "li-na", body: "În aplicație, Setări → Notificări → „Doar conversațiile mele”. Categoriile urmărite rămân în lista de pe web, fără notificări pe telefon." },
  },
  {
    category: "mobile", asker: "wei-chen", title: "平板上的字體太小，可以調整嗎？", tags: ["mobile", "tablet"],
    body: "在平板上看工單時字有點小，找不到放大的設定。",
    accepted: { author: "li-na", body: "应用会跟随系统的字体大小。在平板的 设置 → 显示 → 文字大小 里调大即可，重新打开应用后生效。" },
  },
];

/**
 * Interleaved so every category has activity across the months, oldest first: thread i is asked
 * HISTORY_DAYS[i] days ago.
 */
export const DEMO_HISTORY: HistoryThread[] = Array.from({ length: Math.max(billing.length, account.length, integrations.length, mobile.length) }, (_, i) =>
  [account[i], integrations[i], mobile[i], billing[i]].filter((t): t is HistoryThread => t !== undefined),
).flat();
