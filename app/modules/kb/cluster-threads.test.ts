import { describe, expect, test } from "vitest";
import { analyze } from "~/modules/search/analyze.ts";
import { clusterThreads, type ClusterInput } from "./cluster-threads.ts";

/** A fixed corpus: one problem asked five ways in three languages, a second problem, and noise. */
const CORPUS: ClusterInput[] = [
  { id: "en-1", views: 120, tags: ["billing", "export", "csv"], title: "How do I export my invoices as CSV?", text: "I need all invoices of last year in a CSV file for our accountant. The billing page has no export." },
  { id: "en-2", views: 80, tags: ["export", "csv"], title: "Invoice export to CSV button is missing", text: "The button to export invoices as CSV is gone from the billing settings since the update." },
  { id: "en-3", views: 40, tags: ["billing", "csv"], title: "Cannot download invoices in CSV format", text: "Downloading invoices gives me PDF only. Where is the CSV export of the invoices?" },
  { id: "ro-1", views: 30, tags: ["export", "csv"], title: "Cum export facturile în format CSV?", text: "Contabilul meu are nevoie de toate facturile din anul trecut într-un fișier CSV. Nu găsesc exportul facturilor." },
  { id: "zh-1", views: 25, tags: ["billing", "export", "csv"], title: "如何將發票匯出為 CSV 檔案？", text: "會計需要去年所有的發票，CSV 格式。帳單頁面找不到匯出發票的按鈕。" },
  { id: "mob-1", views: 90, tags: ["mobile", "login"], title: "The mobile app logs me out every day", text: "Every morning the Android app asks me to sign in again. I stay signed in on the web." },
  { id: "mob-2", views: 60, tags: ["mobile", "login"], title: "Android app keeps signing me out", text: "The mobile app signs me out each day and I have to log in again with my password." },
  { id: "mob-3", views: 15, tags: ["mobile", "session"], title: "Aplicația mobilă mă deconectează zilnic", text: "Aplicația de Android cere autentificare în fiecare zi, deși pe web rămân conectat." },
  { id: "other-1", views: 70, tags: ["webhooks"], title: "Webhook deliveries fail with a TLS error", text: "Our endpoint uses a self-signed certificate and every webhook delivery fails." },
  { id: "other-2", views: 50, tags: ["sso", "saml"], title: "How do I set up SAML single sign-on with Okta?", text: "We want our staff to sign in through Okta. Which fields go into the SAML settings?" },
  { id: "other-3", views: 35, tags: ["notifications"], title: "Turn off the daily digest e-mail", text: "I get a digest e-mail every morning and I would like to receive it weekly instead." },
  { id: "other-4", views: 20, tags: ["api", "rate-limits"], title: "API returns 429 Too Many Requests during sync", text: "Our nightly sync hits the rate limit after a few hundred calls. What is the limit?" },
  { id: "other-5", views: 10, tags: ["account"], title: "Change the e-mail address of my account", text: "I moved to a new company domain and want to keep my history under the new address." },
];

const topicOf = (topics: ReturnType<typeof clusterThreads>, id: string) => topics.find((t) => t.threadIds.includes(id));

describe("recurring-topic clustering", () => {
  const topics = clusterThreads(CORPUS, analyze);

  test("threads about the same problem written differently, in English, Romanian and Chinese, land in one topic", () => {
    const invoices = topicOf(topics, "en-1");
    expect(invoices?.threadIds.sort()).toEqual(["en-1", "en-2", "en-3", "ro-1", "zh-1"]);
    expect(invoices?.views).toBe(120 + 80 + 40 + 30 + 25);
    expect(invoices?.terms).toContain("#csv");
  });

  test("an unrelated thread does not join the topic, and the second problem forms its own topic", () => {
    const invoices = topicOf(topics, "en-1")!;
    for (const id of ["mob-1", "mob-2", "other-1", "other-2", "other-3", "other-4", "other-5"]) expect(invoices.threadIds).not.toContain(id);
    const mobile = topicOf(topics, "mob-1");
    expect(mobile?.threadIds).toEqual(expect.arrayContaining(["mob-1", "mob-2"]));
    expect(mobile?.threadIds.some((id) => id.startsWith("en-") || id.startsWith("other-"))).toBe(false);
    for (const id of ["other-1", "other-2", "other-3", "other-4", "other-5"]) expect(topicOf(topics, id)).toBeUndefined();
  });

  test("topics are ranked by thread count, then views; threads in a topic most viewed first", () => {
    expect(topics[0]!.threadIds[0]).toBe("en-1");
    for (let i = 1; i < topics.length; i += 1) expect(topics[i - 1]!.threadIds.length).toBeGreaterThanOrEqual(topics[i]!.threadIds.length);
  });

  test("the result does not depend on the order of the input", () => {
    const reversed = clusterThreads([...CORPUS].reverse(), analyze);
    expect(reversed.map((t) => [...t.threadIds].sort())).toEqual(topics.map((t) => [...t.threadIds].sort()));
  });

  test("scales: 20,000 synthetic threads cluster in a few seconds", () => {
    const words = "export invoice csv billing mobile login webhook saml okta digest api sync limit password account domain android report chart widget".split(" ");
    const docs: ClusterInput[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: String(i),
      views: i % 97,
      tags: [words[i % words.length]!],
      title: `${words[i % 7]} ${words[(i * 3) % words.length]} problem number ${i % 500}`,
      text: Array.from({ length: 30 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(" "),
    }));
    const started = performance.now();
    const result = clusterThreads(docs, analyze);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.length).toBeGreaterThan(0);
  });
});
