import { getThreadPath } from "~/modules/questions/questions-queries.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { closeThread, reopenThread } from "./close-thread.server.ts";
import { setThreadLocked } from "./lock-thread.server.ts";
import { mergeThreads } from "./merge-threads.server.ts";
import { moveThread } from "./move-thread.server.ts";
import { pinThread, unpinThread } from "./pin-thread.server.ts";
import { setThreadUnlisted } from "./unlist-thread.server.ts";

export const STATE_INTENTS = ["close", "duplicate", "reopen", "merge", "lock", "unlock", "pin", "unpin", "move", "unlist", "list"] as const;
export type StateIntent = (typeof STATE_INTENTS)[number];

/**
 * The one entry of `POST /questions/<id>/state`: runs the use case an `intent` names (each checks its
 * own policy) and answers where to go next (the thread, or the merge target). An unknown intent is bad input.
 * The form's submission (ADR 030) is claimed by the use case, so a copy gets the same answer and redirect.
 */
export async function changeThreadState(actorId: string, threadId: bigint, intent: string, input: Record<string, unknown>, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ path: string }>> {
  let done: Result<unknown>;
  let goTo = threadId;
  switch (intent as StateIntent) {
    case "close":
    case "duplicate":
      done = await closeThread(actorId, threadId, intent === "duplicate" ? { ...input, reason: "duplicate" } : input, submission);
      break;
    case "reopen":
      done = await reopenThread(actorId, threadId, input, submission);
      break;
    case "merge": {
      const merged = await mergeThreads(actorId, threadId, input, submission);
      if (merged.ok) goTo = merged.value.targetId;
      done = merged;
      break;
    }
    case "lock":
    case "unlock":
      done = await setThreadLocked(actorId, threadId, intent === "lock", input, submission);
      break;
    case "pin":
      done = await pinThread(actorId, threadId, input, submission);
      break;
    case "unpin":
      done = await unpinThread(actorId, threadId, input, submission);
      break;
    case "move":
      done = await moveThread(actorId, threadId, input, submission);
      break;
    case "unlist":
    case "list":
      done = await setThreadUnlisted(actorId, threadId, intent === "unlist", input, submission);
      break;
    default:
      return invalid({}, ["messages.common.unknownAction"]);
  }
  if (!done.ok) return done;
  return ok({ path: (await getThreadPath(goTo, null)) ?? `/questions/${goTo}` });
}
