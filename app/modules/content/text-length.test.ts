import { describe, expect, test } from "vitest";
import { BonusSchema } from "~/modules/reputation/reputation.schema.ts";
import { AskSchema, CommentSchema, TagName, TITLE_MIN } from "~/modules/questions/questions.schema.ts";
import { hasLength, shortestLength, textLength } from "./text-length.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

/**
 * Real headings of customer-service pages (FAQ and help-centre articles), as published, 2025-2026.
 * Traditional: yyo.welcometw.com/qa, petkingdom.com.tw (會員常見問題), imember.com.tw/guides/faq-payment,
 * rxmkjab.cn/help-1688.html, ecpay.com.tw, ming-jiang.co. Simplified: support.logmeininc.com/zh
 * (GoToMeeting billing FAQ), airygen.com/zh-Hans/faq/account, syscxp.com/docs/account/question.
 * Romanian: hortigo.ro, treetz.eu/ro, allyshop.ro/faq, romanianboutique.ro, help.mollie.com/hc/ro,
 * info.openlane.eu/ro, help.uber.com/ro-RO.
 */
const TRADITIONAL_QUESTIONS = [
  "我忘記密碼了", // 6
  "積分如何兌換?", // 7
  "是否有提供發票?", // 8
  "忘記密碼怎麼辦?", // 8
  "該如何加入會員呢?", // 9
  "如何進行賬戶解綁?", // 9
  "如何了解積分規則?", // 9
  "如何修改會員信息?", // 9
  "什麼是客戶自助服務?", // 10, the issue's example
  "我不記得我的會員帳號", // 10
  "忘記登入的會員帳號?", // 10
  "該如何查詢會員點數?", // 10
  "如何查看目前積分情況?", // 11
  "不想使用了,如何取消?", // 11
  "目前支援的付款方式為何?", // 12
  "何時會進行下一期的扣款?", // 12
  "如何修改和新增收貨地址?", // 12
  "訂購完成後,可否變更商品?", // 13
  "該如何修改個人資料及密碼?", // 13
  "可以在訂閱期中變更方案嗎?", // 13
  "沒有更快的註冊/登入方式?", // 13
  "是否可以變更付款用的信用卡?", // 14
  "我的訂閱到期後會自動續訂嗎?", // 14
  "如何添加或修改發票備注信息?", // 14
];
const SIMPLIFIED_QUESTIONS = [
  "忘记密码怎么办?", // 8
  "收不到邮箱验证码", // 8
  "如何更改我的密码?", // 9
  "忘记密码该怎么办?", // 9
  "手机上没收到验证码", // 9
  "我没收到验证信怎么办?", // 11
  "购买后我会收到收据吗?", // 11
  "如何取消已付款的订阅计划?", // 13
  "可以修改帐户语系与时区吗?", // 13
  "可以同时在多台设备登录吗?", // 13
  "如何更改我的计划或转换产品?", // 14
  "更改我的计划后将采用何种收费?", // 15
  "如何查看向我的帐户收取的费用?", // 15
];
/** Section labels rather than questions; still sensible titles by the English rule's measure. */
const CHINESE_LABELS = ["退款與退貨政策", "為帳號儲值餘額", "账单和取消常见问题解答"];
/** Four-character topic labels ("Account security", "Forgot password"): too terse for a question title. */
const CHINESE_TOO_SHORT = ["帳號安全", "忘记密码"];

const ROMANIAN_QUESTIONS = [
  "Pot anula o comandă?",
  "Pot returna un produs?",
  "Produsele au garanție?",
  "Cum pot urmări comanda mea?",
  "Nu am primit comanda mea",
  "Raportarea unei plăți",
  "În cât timp primesc banii înapoi?",
  "Cum inițiez un retur (pașii corecți)?",
  "Cum știu când plata mea a fost primită?",
  "Care sunt condițiile de acceptare a returului?",
];
/** Romanian headings of 8 to 14 letters: a one-word and a two-word label, refused like their English twins. */
const ROMANIAN_SHORT = [
  ["Cumpărare", "Purchasing"],
  ["Cum plătesc", "How do I pay"],
] as const;

const title = (t: string) => AskSchema.shape.title.safeParse(t);

describe("textLength: a Chinese, Japanese or Korean character counts 3, any other grapheme 1", () => {
  test("counts user-perceived characters, not code points or UTF-16 units", () => {
    expect(textLength("factura")).toBe(7);
    expect(textLength("ș")).toBe(1);
    expect(textLength("s\u0326")).toBe(1); // ș typed as s + combining comma below
    expect(textLength("👨‍👩‍👧‍👦")).toBe(1); // one family emoji of seven code points
    expect(textLength("🇷🇴")).toBe(1);
    expect(textLength("𠀀")).toBe(3); // outside the BMP: two UTF-16 units, one Han character
    expect(textLength("忘记密码")).toBe(12);
    expect(textLength("がんばる")).toBe(12);
    expect(textLength("비밀번호")).toBe(12);
    expect(textLength("Excel 匯出亂碼")).toBe(6 + 4 * 3);
    expect(textLength("？。")).toBe(2); // punctuation counts 1, fullwidth or not
  });

  test("what shows nothing counts nothing: invisible characters between visible ones, and white space past the first of a run", () => {
    expect(textLength("a\u200b".repeat(10))).toBe(10); // zero-width spaces
    expect(textLength("a\u3164\u2800\u00ad\u2060b")).toBe(2); // Hangul filler, braille blank, soft hyphen, word joiner
    expect(textLength("a          b")).toBe(3);
    expect(textLength("a \n\t b")).toBe(3);
    expect(textLength("👩‍💻")).toBe(1); // the zero-width joiner inside an emoji is part of it
    expect(textLength("忘\u200b记")).toBe(6);
    expect(hasLength(10)("x" + "\u200b".repeat(30) + "y")).toBe(false);
    expect(hasLength(10)("x" + " ".repeat(30) + "y")).toBe(false);
  });

  test("stops counting once the minimum is reached (a 30,000-character post is not segmented whole)", () => {
    const long = "我的帳戶無法登入 ".repeat(4000);
    expect(hasLength(30)(long)).toBe(true);
    expect(textLength(long, 30)).toBeGreaterThanOrEqual(30);
    expect(textLength(long, 30)).toBeLessThan(40);
  });

  test("the HTML minimum is the fewest characters that can reach the rule", () => {
    expect(shortestLength(TITLE_MIN)).toBe(5);
    expect(shortestLength(2)).toBe(1);
  });
});

describe("question titles from real customer-service headings", () => {
  test.each([...TRADITIONAL_QUESTIONS, ...SIMPLIFIED_QUESTIONS, ...CHINESE_LABELS])("Chinese: %s is accepted", (heading) => {
    expect(title(heading).success).toBe(true);
  });

  test("38 of these 40 were refused when the rule counted code points", () => {
    const chinese = [...TRADITIONAL_QUESTIONS, ...SIMPLIFIED_QUESTIONS, ...CHINESE_LABELS];
    expect(chinese.length).toBe(40);
    expect(chinese.filter((t) => [...t].length < TITLE_MIN).length).toBe(38);
  });

  test.each(CHINESE_TOO_SHORT)("Chinese: the four-character label %s is refused with a message saying how much is enough", (heading) => {
    const parsed = title(heading);
    expect(parsed.success).toBe(false);
    expect(inEnglish(parsed.error?.issues[0]?.message)).toBe("The title needs at least 15 characters (5 in Chinese)");
  });

  test.each(ROMANIAN_QUESTIONS)("Romanian: %s is accepted", (heading) => {
    expect(title(heading).success).toBe(true);
  });

  test.each(ROMANIAN_SHORT)("Romanian: %s is refused like its English twin %s (letters count the same in both)", (romanian, english) => {
    expect(title(romanian).success).toBe(false);
    expect(title(english).success).toBe(false);
  });

  test("Romanian diacritics typed as combining marks count once, as typed precomposed", () => {
    const precomposed = "Pot returna un produs?";
    const decomposed = precomposed.normalize("NFD");
    expect(textLength(decomposed)).toBe(textLength(precomposed));
    expect(textLength("Produsele au garanție?".normalize("NFD"))).toBe(22);
  });
});

describe("the other minimums use the same rule", () => {
  test("a one-character Chinese tag, comment and a short Chinese bonus reason are accepted", () => {
    expect(TagName.safeParse("稅").success).toBe(true);
    expect(TagName.safeParse("x").success).toBe(false);
    expect(CommentSchema.safeParse({ body: "謝" }).success).toBe(true);
    expect(CommentSchema.safeParse({ body: "k" }).success).toBe(false);
    expect(BonusSchema.safeParse({ points: 10, reason: "答得好" }).success).toBe(true);
    expect(BonusSchema.safeParse({ points: 10, reason: "good" }).success).toBe(false);
  });
});
