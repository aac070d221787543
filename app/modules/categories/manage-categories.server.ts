import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { forgetCategories } from "~/modules/reputation/expert-marks.server.ts";
import { canManageCategories } from "~/modules/questions/questions.policy.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { ArchiveSchema, CategorySchema, MoveSchema } from "./categories.schema.ts";

const ONLY_ADMINS = "messages.categories.forbidden";

function slugTaken(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** A change committed (or refused): this process's category cache is dropped either way, cheaply. */
function afterChange<T>(result: T): T {
  forgetCategories();
  return result;
}

/**
 * Creates a category at the end of the list. Admins only; the slug is unique. A repeat of the same
 * form submission gets the first answer, not "taken" (ADR 030). Event: category.created. Every
 * change to categories writes its audit row (category.created / category.updated, ADR 050).
 */
export async function createCategory(actor: Actor, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ id: number }>> {
  const again = await earlierAnswer<{ id: number }>(submission);
  if (again) return again;
  if (!canManageCategories(actor)) return forbidden(ONLY_ADMINS);
  const parsed = CategorySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  try {
    const created = await prisma.$transaction((tx) =>
      submitOnce(tx, submission, async () => {
        const last = await tx.category.aggregate({ _max: { position: true } });
        const category = await tx.category.create({ data: { ...parsed.data, position: (last._max.position ?? 0) + 1 }, select: { id: true } });
        await recordEvent(tx, { type: "category.created", actorId: actor.id, subjectType: "category", subjectId: String(category.id), payload: parsed.data });
        await recordAudit(tx, { actor, action: "category.created", targetType: "category", targetId: category.id, after: { name: parsed.data.name, slug: parsed.data.slug } });
        return ok({ id: category.id });
      }),
    );
    forgetCategories();
    return created;
  } catch (error) {
    if (slugTaken(error)) return conflict("messages.categories.slugTaken", { slug: ["messages.categories.slugTakenField"] });
    throw error;
  }
}

/** Renames a category or changes its URL name or description. Admins only. Event: category.updated. */
export async function updateCategory(actor: Actor, id: number, input: unknown): Promise<Result<{ id: number }>> {
  if (!canManageCategories(actor)) return forbidden(ONLY_ADMINS);
  const parsed = CategorySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  try {
    return afterChange(
      await prisma.$transaction(async (tx): Promise<Result<{ id: number }>> => {
        const found = await tx.category.findUnique({ where: { id }, select: { id: true, name: true, slug: true, description: true } });
        if (!found) return notFound("messages.common.noSuchCategory");
        await tx.category.update({ where: { id }, data: parsed.data });
        await recordEvent(tx, { type: "category.updated", actorId: actor.id, subjectType: "category", subjectId: String(id), payload: parsed.data });
        const changed = (["name", "slug", "description"] as const).filter((field) => found[field] !== parsed.data[field]);
        await recordAudit(tx, {
          actor,
          action: "category.updated",
          targetType: "category",
          targetId: id,
          before: Object.fromEntries(changed.map((field) => [field, field === "description" ? found.description.length : found[field]])),
          after: Object.fromEntries(changed.map((field) => [field, field === "description" ? parsed.data.description.length : parsed.data[field]])),
        });
        return ok({ id });
      }),
    );
  } catch (error) {
    if (slugTaken(error)) return conflict("messages.categories.slugTaken", { slug: ["messages.categories.slugTakenField"] });
    throw error;
  }
}

/**
 * Moves a category one place up or down by swapping positions with its neighbour. Admins only. Not
 * idempotent, so a double click on "up" is one submission and moves it one place (ADR 030).
 */
export async function moveCategory(actor: Actor, id: number, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ id: number }>> {
  const again = await earlierAnswer<{ id: number }>(submission);
  if (again) return again;
  if (!canManageCategories(actor)) return forbidden(ONLY_ADMINS);
  const parsed = MoveSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  return afterChange(await prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ id: number }>> => {
    // Lock the whole (short) list so two reorders cannot interleave.
    const all = await tx.$queryRaw<{ id: number; position: number }[]>`SELECT id, position FROM categories ORDER BY position, id FOR NO KEY UPDATE`;
    const index = all.findIndex((c) => c.id === id);
    if (index < 0) return notFound("messages.common.noSuchCategory");
    const other = all[parsed.data.direction === "up" ? index - 1 : index + 1];
    if (!other) return ok({ id });
    // Positions become 0..n-1 in the current order (ties resolved by id), then the two swap.
    const order = all.map((c) => c.id);
    const target = order.indexOf(other.id);
    [order[index], order[target]] = [order[target]!, order[index]!];
    for (const [position, categoryId] of order.entries()) {
      if (all.find((c) => c.id === categoryId)!.position !== position) await tx.category.update({ where: { id: categoryId }, data: { position } });
    }
    await recordEvent(tx, { type: "category.updated", actorId: actor.id, subjectType: "category", subjectId: String(id), payload: { moved: parsed.data.direction } });
    await recordAudit(tx, { actor, action: "category.updated", targetType: "category", targetId: id, before: { position: index }, after: { position: target } });
    return ok({ id });
  })));
}

/** Archives a category (no new questions; its threads stay readable) or brings it back. Admins only. */
export async function setCategoryArchived(actor: Actor, id: number, input: unknown): Promise<Result<{ id: number; archived: boolean }>> {
  if (!canManageCategories(actor)) return forbidden(ONLY_ADMINS);
  const parsed = ArchiveSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  return afterChange(await prisma.$transaction(async (tx): Promise<Result<{ id: number; archived: boolean }>> => {
    const found = await tx.category.findUnique({ where: { id }, select: { id: true, archivedAt: true } });
    if (!found) return notFound("messages.common.noSuchCategory");
    await tx.category.update({ where: { id }, data: { archivedAt: parsed.data.archived ? new Date() : null } });
    await recordEvent(tx, { type: "category.updated", actorId: actor.id, subjectType: "category", subjectId: String(id), payload: { archived: parsed.data.archived } });
    await recordAudit(tx, { actor, action: "category.updated", targetType: "category", targetId: id, before: { archived: found.archivedAt !== null }, after: { archived: parsed.data.archived } });
    return ok({ id, archived: parsed.data.archived });
  }));
}
