import { z } from "zod";
import { boundedString, bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { ROLES } from "./roles.ts";
import { msg } from "~/utils/messages.ts";

/**
 * Form contracts shared by the browser (Conform validates as you type) and the server (the use
 * cases parse with the same schema). Server-only checks (common passwords, uniqueness) come after.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const Email = boundedString(bytesForChars(254), "messages.users.emailTooLong", { required_error: "messages.users.emailRequired" }).pipe(
  z.string().trim().max(254, "messages.users.emailTooLong").email("messages.users.emailInvalid"),
);

/** Any password-like field: refused by size before it is compared or hashed. */
const PasswordText = (required_error: string) => boundedString(bytesForChars(PASSWORD_MAX), msg("messages.field.tooLong", { count: PASSWORD_MAX }), { required_error });

export const Password = PasswordText("messages.users.passwordRequired").pipe(
  z.string().min(PASSWORD_MIN, msg("messages.field.tooShort", { count: PASSWORD_MIN })).max(PASSWORD_MAX, msg("messages.field.tooLong", { count: PASSWORD_MAX })),
);

export const Handle = typedText(bytesForChars(30), msg("messages.field.tooLong", { count: 30 }), { required: "messages.users.handleRequired" }).pipe(
  z
    .string()
    .min(3, msg("messages.field.tooShort", { count: 3 }))
    .max(30, msg("messages.field.tooLong", { count: 30 }))
    .regex(/^[a-zA-Z0-9_-]+$/, "messages.users.handleChars"),
);

export const DisplayName = typedText(bytesForChars(60), msg("messages.field.tooLong", { count: 60 }), { required: "messages.users.nameRequired" }).pipe(
  z.string().min(1, "messages.users.nameRequired").max(60, msg("messages.field.tooLong", { count: 60 })),
);

/** The sign-up form's honeypot (issue 19): a field hidden from people; a bot that fills it is refused. */
export const HONEYPOT_FIELD = "website";

export const SignupSchema = z.object({
  email: Email,
  handle: Handle,
  displayName: DisplayName,
  password: Password,
});

export const LoginSchema = z.object({
  email: Email,
  password: PasswordText("messages.users.loginPassword").pipe(z.string().min(1, "messages.users.loginPassword").max(PASSWORD_MAX)),
  redirectTo: boundedString(2048, "messages.users.redirectTooLong").optional(),
});

export const ForgotPasswordSchema = z.object({ email: Email });

export const ResetPasswordSchema = z
  .object({
    token: boundedString(800, "messages.users.resetLinkIncomplete", { required_error: "messages.users.resetLinkIncomplete" }).pipe(z.string().min(20).max(200)),
    password: Password,
    confirm: PasswordText("messages.users.confirmRequired"),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "messages.users.passwordsDiffer" });

export const ChangePasswordSchema = z
  .object({
    currentPassword: PasswordText("messages.users.currentRequired").pipe(z.string().max(PASSWORD_MAX)),
    newPassword: Password,
    confirm: PasswordText("messages.users.confirmRequired"),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "messages.users.passwordsDiffer" });

export const ProfileSchema = z.object({
  displayName: DisplayName,
  bio: typedText(bytesForChars(1000), msg("messages.field.tooLong", { count: 1000 }), { multiline: true }).pipe(z.string().max(1000, msg("messages.field.tooLong", { count: 1000 }))).default(""),
});

/** Account ids as the forms post them (cuid). */
const UserId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, "messages.common.noSuchMember");

export const RoleChangeSchema = z.object({
  userId: boundedString(160, "messages.common.noSuchMember").pipe(UserId),
  role: z.enum(ROLES, { errorMap: () => ({ message: "messages.users.role" }) }),
});

/** The longest suspension or silence with an end date; longer is "indefinitely" (no end date). */
export const SUSPENSION_MAX_DAYS = 3650;

/**
 * Suspend (or reinstate) an account, or silence it (read-only) and lift that (issue 19). Suspending
 * and silencing need a reason, which the member is shown; `days` empty means indefinitely.
 */
export const SuspendSchema = z
  .object({
    userId: boundedString(160, "messages.common.noSuchMember").pipe(UserId),
    suspend: z.enum(["true", "false"]).transform((v) => v === "true"),
    mode: z.enum(["suspend", "silence"], { errorMap: () => ({ message: "messages.users.restrictMode" }) }).default("suspend"),
    reason: typedText(bytesForChars(300), "messages.common.reason300").pipe(z.string().max(300, "messages.common.reason300")).optional().default(""),
    days: z
      .string()
      .max(6, "messages.common.days")
      .optional()
      .transform((v) => (v && v.trim() ? Number(v) : null))
      .pipe(
        z
          .number({ invalid_type_error: "messages.common.days" })
          .int("messages.common.wholeDays")
          .min(1, "messages.common.atLeastOneDay")
          .max(SUSPENSION_MAX_DAYS, msg("messages.users.maxSuspensionDays", { count: SUSPENSION_MAX_DAYS }))
          .nullable(),
      ),
  })
  .superRefine((v, ctx) => {
    if (v.suspend && v.reason.length === 0) ctx.addIssue({ code: "custom", path: ["reason"], message: "messages.users.suspendReason" });
  });
export type SuspendInput = z.output<typeof SuspendSchema>;

export const UserSearchSchema = z.object({
  q: typedText(bytesForChars(100), msg("messages.field.tooLong", { count: 100 })).pipe(z.string().max(100, msg("messages.field.tooLong", { count: 100 }))).default(""),
  role: z.enum(ROLES).optional(),
});
