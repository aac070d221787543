/**
 * Every route of the app that has an action, classified (issue 19, ADR 050). tests/http/privileged-routes.test.ts
 * fails when a route with an action is missing here, so a new route must say whether moderators,
 * staff or admins own it (then list the POSTs that exercise those powers: each is sent as a member
 * and as a visitor and must be refused, writing nothing) or why members and visitors may post to it.
 */

import { docJson } from "./factories.ts";

/** Real ids the walk's requests point at: a thread of someone else's, its answer, a category, an article, an account. */
export type WalkFixture = {
  threadPath: string;
  threadId: string;
  answerId: string;
  questionId: string;
  categoryId: string;
  articleId: string;
  articlePath: string;
  targetUserId: string;
  targetHandle: string;
  staffId: string;
  /** Another question to merge into or mark as the original (thread states, ADR 048). */
  otherThreadId: string;
  /** A ticket of the walking member's own: a customer may see it but not work it (issue 20). */
  ticketId: string;
};

export type PrivilegedPost = { what: string; path: string; fields: Record<string, string> };

/** Routes whose actions (all, or the intents listed) are for moderators, staff or admins, with one POST per power. */
export const PRIVILEGED_ROUTES: Record<string, (f: WalkFixture) => PrivilegedPost[]> = {
  "routes/admin.users": (f): PrivilegedPost[] => [
    { what: "change a role", path: "/admin/users", fields: { intent: "role", userId: f.targetUserId, role: "admin" } },
    { what: "suspend a member", path: "/admin/users", fields: { intent: "suspension", userId: f.targetUserId, suspend: "true", mode: "suspend", reason: "Walked in", days: "7" } },
  ],
  "routes/admin.categories": (f): PrivilegedPost[] => [
    { what: "create a category", path: "/admin/categories", fields: { intent: "create", name: "Walked in", slug: "walked-in" } },
    { what: "rename a category", path: "/admin/categories", fields: { intent: "update", id: f.categoryId, name: "Renamed", slug: "renamed" } },
    { what: "move a category", path: "/admin/categories", fields: { intent: "move", id: f.categoryId, direction: "down" } },
    { what: "archive a category", path: "/admin/categories", fields: { intent: "archive", id: f.categoryId, archived: "true" } },
  ],
  "routes/questions.$id.$slug": (f): PrivilegedPost[] => [
    { what: "hide someone's answer", path: f.threadPath, fields: { intent: "hide", postId: f.answerId, reason: "walk" } },
    { what: "show a post again", path: f.threadPath, fields: { intent: "unhide", postId: f.answerId } },
    { what: "delete someone's answer", path: f.threadPath, fields: { intent: "delete", postId: f.answerId } },
    { what: "delete someone's answered question", path: f.threadPath, fields: { intent: "delete", postId: f.questionId } },
    { what: "accept an answer for the asker", path: f.threadPath, fields: { intent: "accept", postId: f.answerId } },
    { what: "withdraw the asker's acceptance", path: f.threadPath, fields: { intent: "unaccept" } },
  ],
  "routes/posts.$id.edit": (f): PrivilegedPost[] => [
    { what: "edit someone else's post", path: `/posts/${f.answerId}/edit`, fields: { body: docJson("Rewritten by someone without the right to."), reason: "walk" } },
  ],
  "routes/u.$handle": (f): PrivilegedPost[] => [{ what: "award a bonus", path: `/u/${f.targetHandle}`, fields: { points: "50", reason: "Walked in without the right to" } }],
  "routes/kb.$category.$slug": (f): PrivilegedPost[] => [
    { what: "publish an article", path: f.articlePath, fields: { intent: "publish", articleId: f.articleId } },
    { what: "archive an article", path: f.articlePath, fields: { intent: "archive", articleId: f.articleId } },
    { what: "assign an article's owner", path: f.articlePath, fields: { intent: "owner", articleId: f.articleId, ownerId: f.staffId } },
  ],
  "routes/kb.new": (f): PrivilegedPost[] => [{ what: "write an article", path: "/kb/new", fields: { title: "An article from the walk", categoryId: f.categoryId, tags: "billing", body: docJson("Open Billing, then Invoices, and choose Export as CSV from the menu.") } }],
  "routes/kb.articles.$id.edit": (f): PrivilegedPost[] => [{ what: "edit an article", path: `/kb/articles/${f.articleId}/edit`, fields: { title: "Edited by the walk", categoryId: f.categoryId, tags: "billing", body: docJson("Open Billing, then Invoices, and choose Export as CSV from the menu.") } }],
  "routes/kb.promote": (f): PrivilegedPost[] => [{ what: "promote a thread", path: "/kb/promote", fields: { threadIds: f.threadId, confirmUnresolved: "true" } }],
  "routes/kb.recurring": (): PrivilegedPost[] => [{ what: "refresh recurring topics", path: "/kb/recurring", fields: {} }],
  "routes/questions.$id.state": (f): PrivilegedPost[] =>
    ([
      { intent: "close", reason: "off_topic" },
      { intent: "duplicate", duplicateOf: f.otherThreadId },
      { intent: "reopen" },
      { intent: "merge", target: f.otherThreadId },
      { intent: "lock" },
      { intent: "unlock" },
      { intent: "pin", scope: "global" },
      { intent: "unpin" },
      { intent: "move", categoryId: f.categoryId },
      { intent: "unlist" },
      { intent: "list" },
    ] as Record<string, string>[]).map((fields) => ({ what: `${fields.intent} a question`, path: `/questions/${f.threadId}/state`, fields })),
  "routes/support.tickets.$id": (f): PrivilegedPost[] =>
    ([
      { intent: "take" },
      { intent: "assign", assigneeId: f.staffId },
      { intent: "status", status: "closed" },
      { intent: "priority", priority: "urgent" },
      { intent: "solve", outcome: "not_a_problem" },
      { intent: "note", body: "An internal note from the walk" },
      { intent: "reply", body: "A staff reply from the walk" },
    ] as Record<string, string>[]).map((fields) => ({ what: `${fields.intent} on their own ticket as staff would`, path: `/support/tickets/${f.ticketId}`, fields })),
  "routes/admin.routing": (f): PrivilegedPost[] => [{ what: "change a category's routing delays", path: "/admin/routing", fields: { id: f.categoryId, expertOfferHours: "1", escalateAfterHours: "1" } }],
  "routes/review": (f): PrivilegedPost[] => [
    { what: "agree with flags and hide the post", path: "/review", fields: { postId: f.answerId, decision: "agree", outcome: "hide" } },
    { what: "agree with flags and suspend the author", path: "/review", fields: { postId: f.answerId, decision: "agree", outcome: "delete", suspend: "on", suspendDays: "7", suspendReason: "Walked in" } },
    { what: "disagree with flags", path: "/review", fields: { postId: f.answerId, decision: "disagree" } },
  ],
  "routes/admin.settings": (): PrivilegedPost[] => [{ what: "turn on first-post approval", path: "/admin/settings", fields: { approveFirstPosts: "on" } }],
  "routes/admin.webhooks": (): PrivilegedPost[] => [{ what: "register a webhook", path: "/admin/webhooks", fields: { intent: "create", url: "https://hooks.example.com/threadwise", events: "answer.posted" } }],
  "routes/admin.webhooks.$id": (): PrivilegedPost[] => [{ what: "redeliver a webhook", path: "/admin/webhooks/1", fields: { deliveryId: "1" } }],
  "routes/account_.api-keys": (f): PrivilegedPost[] => [{ what: "make a site API key acting as someone", path: "/account/api-keys", fields: { kind: "site", name: "Walked in", scope: "write", actAs: f.targetHandle } }],
};

/** Routes whose actions members (or visitors) may use, and why. */
export const MEMBER_OR_PUBLIC_ROUTES: Record<string, string> = {
  "routes/login": "signing in",
  "routes/logout": "signing out",
  "routes/signup": "creating an account",
  "routes/forgot-password": "asking for a reset link",
  "routes/reset-password": "setting a new password with a link",
  "routes/account": "the member's own profile and password",
  "routes/account_.notifications": "the member's own notification settings",
  "routes/notifications._index": "marking the member's own notices read",
  "routes/watches": "the member's own watches",
  "routes/unsubscribe.$token": "one-click unsubscribe from a mail",
  "routes/questions.new": "asking a question",
  "routes/uploads": "uploading an image for the member's own post",
  "routes/questions.$id.view": "the view-count beacon",
  "routes/kb.articles.$id.view": "the article view beacon",
  "routes/search.log": "logging a search",
  "routes/support.new": "asking the support team for help (issue 20)",
  "routes/account_.avatar": "the member's own profile picture",
  "routes/auth.oidc.link": "confirming a single sign-on link with the account's own password (ADR 065)",
  "routes/language": "choosing the interface language (ADR 055)",
  "routes/posts.$id.flag": "flagging a post (issue 19)",
  "routes/questions.$id.resolution": "the asker answering \"Did this fix it?\" on their own question (issue 20)",
  "routes/views.time": "the time-on-page beacon of the visitor's own page view (ADR 072)",
  // The JSON API never reads cookies: a request is a visitor or the member of its API key, with the pages' use cases and policies (ADR 063, tests/http/api.test.ts).
  "routes/api.v1.questions._index": "the JSON API: asking, as the member of an API key",
  "routes/api.v1.questions.$id.answers": "the JSON API: answering, as the member of an API key",
  "routes/api.v1.questions.$id.accept": "the JSON API: accepting (the asker's), as the member of an API key",
  "routes/api.v1.posts.$id.comments": "the JSON API: commenting, as the member of an API key",
  "routes/api.v1.posts.$id.votes": "the JSON API: voting, as the member of an API key",
};

/**
 * Staff actions of the JSON API (ADR 063). They never read cookies, so the cookie walk of this file cannot
 * reach them (a member's or a visitor's POST is a 401 there); each names the test that shows a member's key
 * refused and a staff key allowed through the pages' policies, and the privileged-routes test checks that
 * the test file posts to the route.
 */
export const API_KEY_STAFF_ROUTES: Record<string, string> = {
  "routes/api.v1.articles.$id.status": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.assign": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.messages": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.priority": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.publish": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.solve": "tests/http/api-articles-tickets.test.ts",
  "routes/api.v1.tickets.$id.status": "tests/http/api-articles-tickets.test.ts",
};

/**
 * Names of the policies and guards that grant moderator, staff or admin powers. A route with an
 * action that uses one of them (itself or through a module it imports) must be in PRIVILEGED_ROUTES.
 */
export const PRIVILEGED_POLICY_NAMES = [
  "canModerate",
  "isModerator",
  "isStaff",
  "canManageArticles",
  "canPromote",
  "requireArticleManager",
  "canAdministerUsers",
  "canManageCategories",
  "canAwardBonus",
  "canSuspend",
  "canChangeRole",
  "canReadAuditLog",
];
