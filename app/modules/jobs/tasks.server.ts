import type { TaskList } from "graphile-worker";
import { z } from "zod";
import { isEventType } from "~/modules/events/event-catalogue.ts";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { refreshJourneyCells } from "~/modules/metrics/rollups.server.ts";
import { refreshRecurringTopics } from "~/modules/kb/recurring-topics.server.ts";
import { sendDigests, sendNotificationEmail } from "~/modules/notifications/send-notification-mail.server.ts";
import { rebuildSearchIndexIfDue } from "~/modules/search/build-search-index.server.ts";
import { purgeOldJourneys } from "~/modules/support/purge-journeys.server.ts";
import { routeUnansweredQuestions } from "~/modules/support/route-questions.server.ts";
import { askResolutionChecks } from "~/modules/support/verify-resolution.server.ts";
import { liftEndedSuspensions } from "~/modules/users/set-suspension.server.ts";
import { deliverEventWebhooks, deliverWebhook } from "~/modules/webhooks/deliver-webhook.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { sendMail } from "~/utils/mail.server.ts";
import { deleteExpiredSubmissions } from "~/utils/submission.server.ts";

const MailPayload = z.object({ to: z.string().email(), subject: z.string(), text: z.string(), html: z.string().optional() });
/** `type` lets an event nobody listens to be skipped unread (jobs enqueued before it was added have none). */
const EventPayload = z.object({ eventId: z.string().regex(/^\d+$/), type: z.string().optional() });
const NotificationMailPayload = z.object({ notificationId: z.string().regex(/^\d+$/) });
const DigestPayload = z.object({ period: z.enum(["daily", "weekly"]), _cron: z.object({ ts: z.string() }).optional() });

/** Every background task, by the name it is enqueued under (JobName in app/utils/jobs.server.ts). */
export const tasks: TaskList = {
  "send-email": async (payload) => {
    await sendMail(MailPayload.parse(payload));
  },
  /** Runs the subscriptions wired in event-subscriptions.server.ts for one domain event. */
  "handle-event": async (payload) => {
    const { eventId, type } = EventPayload.parse(payload);
    if (type !== undefined && !(isEventType(type) && eventHandlers[type])) return;
    await handleEvent(BigInt(eventId), eventHandlers);
  },
  /** One notification e-mail "at once", claimed before it is sent (ADR 043). */
  "send-notification-email": async (payload) => {
    await sendNotificationEmail(BigInt(NotificationMailPayload.parse(payload).notificationId));
  },
  /** Cron (daily, weekly): the notification digests of the period the cron tick belongs to (ADR 041). */
  "notification-digests": async (payload) => {
    const { period, _cron } = DigestPayload.parse(payload);
    await sendDigests(period, _cron ? new Date(_cron.ts) : new Date());
  },
  /** Webhook deliveries (ADR 064): the first attempts of one event's deliveries, or one attempt of one delivery (retries, redeliveries); failures schedule their own retries. */
  "deliver-webhook": async (payload) => {
    const job = z.union([z.object({ deliveryId: z.string().regex(/^\d+$/) }), z.object({ eventId: z.string().regex(/^\d+$/) })]).parse(payload);
    if ("deliveryId" in job) await deliverWebhook(BigInt(job.deliveryId));
    else await deliverEventWebhooks(BigInt(job.eventId));
  },
  /** Every minute: suspensions whose end has passed are lifted as the system, with their audit rows (issue 19, ADR 068). */
  "lift-ended-suspensions": async () => {
    await liftEndedSuspensions(new Date());
  },
  /** Hourly: forget expired sessions, reset links and rate-limit windows. */
  cleanup: async () => {
    const now = new Date();
    await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
    await prisma.passwordResetToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600_000) } } });
    await prisma.$executeRaw`DELETE FROM rate_limits WHERE expire < ${Date.now()}`;
    await deleteExpiredSubmissions(now);
  },
  /** Hourly (minute 20): the knowledge base's recurring-topics reports for 7, 30 and 90 days (ADR 022). */
  "refresh-recurring-topics": async () => {
    await refreshRecurringTopics();
  },
  /** Every ten minutes: tiered routing of unanswered questions, then "Did this fix it?" checks that are due (issue 20). */
  "support-followups": async () => {
    const now = new Date();
    await routeUnansweredQuestions(now);
    await askResolutionChecks(now);
  },
  /** Daily: the journey's data older than 90 days is forgotten (issue 20, ADR 057). */
  "journey-retention": async () => {
    await purgeOldJourneys(new Date());
  },
  /** Every ten minutes (minute 5, 15, …): the dashboard's journey cells of today and the three days before (ADR 077). */
  "journey-rollups": async () => {
    await refreshJourneyCells(new Date());
  },
  /** Every ten minutes (and on demand with { force: true }): a new base search index when enough changed (ADR 019). */
  "search-rebuild": async (payload) => {
    await rebuildSearchIndexIfDue({ force: z.object({ force: z.boolean().optional() }).catch({}).parse(payload ?? {}).force === true });
  },
};
