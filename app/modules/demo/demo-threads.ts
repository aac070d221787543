/**
 * Demo threads for `npm start`: every state (unanswered, answered, resolved), several categories,
 * votes, comments, a revision and a staff answer, and some in Romanian and Chinese.
 * Authors and voters are demo account handles (see demo-accounts.ts) or extra demo members.
 */
export type DemoThread = {
  category: string;
  title: string;
  tags: string[];
  author: string;
  body: string;
  answers?: { author: string; body: string; accepted?: boolean; upvotes?: string[] }[];
  upvotes?: string[];
  comments?: { author: string; body: string }[];
  edit?: { body: string; reason: string };
};

export const DEMO_CATEGORIES = [
  { slug: "billing", name: "Billing & invoices", description: "Payments, invoices, refunds and plans." },
  { slug: "account", name: "Account & security", description: "Sign-in, two-factor authentication, team members." },
  { slug: "integrations", name: "Integrations", description: "API, webhooks and connected apps." },
  { slug: "mobile", name: "Mobile app", description: "The iOS and Android apps." },
];

export const DEMO_MEMBERS = [
  { handle: "ioana-pop", displayName: "Ioana Pop", email: "ioana@threadwise.demo" },
  { handle: "wei-chen", displayName: "陳偉", email: "wei@threadwise.demo" },
  { handle: "li-na", displayName: "李娜", email: "lina@threadwise.demo" },
  { handle: "omar-k", displayName: "Omar Khalil", email: "omar@threadwise.demo" },
];

export const DEMO_THREADS: DemoThread[] = [
  {
    category: "billing",
    title: "How do I download all my invoices as a CSV file?",
    tags: ["invoices", "export"],
    author: "max-member",
    body: "Our accountant needs every invoice from last year in one spreadsheet. I can only find a PDF download per invoice.",
    answers: [
      { author: "omar-k", body: "Go to Billing → Invoices, select the date range and use Export → CSV at the top right. It includes every invoice in the range.", accepted: true, upvotes: ["ioana-pop", "wei-chen", "max-member"] },
      { author: "sam-support", body: "Staff here: the export also exists in the API as GET /v1/invoices?format=csv if you want to automate it monthly.", upvotes: ["omar-k"] },
    ],
    upvotes: ["omar-k", "ioana-pop"],
    comments: [{ author: "max-member", body: "Found it, thank you! The date range picker was hidden on my small screen." }],
  },
  {
    category: "account",
    title: "I lost my phone and cannot pass two-factor authentication",
    tags: ["2fa", "sign-in"],
    author: "omar-k",
    body: "My phone was stolen and the authenticator app was on it. I still know my password. How can I get back into my account?",
    answers: [{ author: "mia-mod", body: "Use one of the recovery codes you saved when you enabled two-factor authentication. If you have none, ask support for an identity check from the sign-in page." }],
    upvotes: ["max-member"],
  },
  {
    category: "integrations",
    title: "Webhook deliveries fail with a 401 from my endpoint",
    tags: ["webhooks", "api"],
    author: "ioana-pop",
    body: "Every webhook delivery shows 401 in the delivery log. The endpoint works when I call it with curl and my token.",
    edit: { body: "Every webhook delivery shows 401 in the delivery log. The endpoint works when I call it with curl and my token. The endpoint is behind Cloudflare Access.", reason: "added the proxy detail" },
  },
  {
    category: "billing",
    title: "Cum schimb datele de facturare ale firmei?",
    tags: ["facturare", "invoices"],
    author: "ioana-pop",
    body: "Am schimbat sediul firmei și trebuie să actualizez adresa pe factură. Unde găsesc setările de facturare?",
    answers: [{ author: "omar-k", body: "Din Setări → Facturare poți modifica adresa, codul fiscal și persoana de contact. Modificarea se aplică de la următoarea factură.", accepted: true, upvotes: ["ioana-pop"] }],
  },
  {
    category: "mobile",
    title: "行動應用程式每天都要求重新登入怎麼辦？",
    tags: ["登入", "mobile"],
    author: "wei-chen",
    body: "我使用 iPhone 版應用程式，每天早上都要重新輸入密碼。請問有辦法保持登入嗎？",
    answers: [{ author: "sam-support", body: "請到 設定 → 安全性 開啟「保持登入」。若公司管理員設定了每日登出的政策，則無法變更。", accepted: true, upvotes: ["wei-chen", "li-na"] }],
  },
  {
    category: "account",
    title: "如何邀请新的团队成员加入我们的账户？",
    tags: ["团队", "account"],
    author: "li-na",
    body: "我们公司新来了两位同事，我想让他们使用同一个团队账户，应该在哪里邀请？",
  },
  {
    category: "integrations",
    title: "Is there a rate limit on the REST API?",
    tags: ["api", "limits"],
    author: "max-member",
    body: "We sync about 20,000 records a night and sometimes get 429 responses. What are the limits and how should we back off?",
    answers: [{ author: "omar-k", body: "I believe it is 100 requests per minute per token; respect the Retry-After header and you will be fine.", upvotes: ["max-member"] }],
  },
  // Two more about the mobile app signing people out: with the Chinese thread above, a recurring topic
  // for the knowledge base's report (ADR 022).
  {
    category: "mobile",
    title: "The Android app signs me out every day",
    tags: ["mobile", "android"],
    author: "ioana-pop",
    body: "Every morning the mobile app asks me to sign in again with my password. On the web I stay signed in for weeks.",
  },
  {
    category: "mobile",
    title: "Mobile app keeps signing me out of my account",
    tags: ["mobile", "logout"],
    author: "max-member",
    body: "Since the last update the mobile app signs me out every day and I have to type my password again.",
    answers: [{ author: "omar-k", body: "Turn on Settings → Security → Stay signed in. If your company sets a daily sign-out policy, only an admin can change it.", accepted: true, upvotes: ["ioana-pop"] }],
  },
];
