import { z } from "zod";
import { boundedString, bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { ROLES } from "./roles.ts";

/**
 * Form contracts shared by the browser (Conform validates as you type) and the server (the use
 * cases parse with the same schema). Server-only checks (common passwords, uniqueness) come after.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const Email = boundedString(bytesForChars(254), "That e-mail address is too long", { required_error: "Enter your e-mail address" }).pipe(
  z.string().trim().max(254, "That e-mail address is too long").email("Enter a valid e-mail address"),
);

/** Any password-like field: refused by size before it is compared or hashed. */
const PasswordText = (required_error: string) => boundedString(bytesForChars(PASSWORD_MAX), `Use at most ${PASSWORD_MAX} characters`, { required_error });

export const Password = PasswordText("Enter a password").pipe(
  z.string().min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`),
);

export const Handle = typedText(bytesForChars(30), "Use at most 30 characters", { required: "Choose a handle" }).pipe(
  z
    .string()
    .min(3, "Use at least 3 characters")
    .max(30, "Use at most 30 characters")
    .regex(/^[a-zA-Z0-9_-]+$/, "Use only letters, digits, _ and -"),
);

export const DisplayName = typedText(bytesForChars(60), "Use at most 60 characters", { required: "Enter your name" }).pipe(
  z.string().min(1, "Enter your name").max(60, "Use at most 60 characters"),
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
  password: PasswordText("Enter your password").pipe(z.string().min(1, "Enter your password").max(PASSWORD_MAX)),
  redirectTo: boundedString(2048, "The return address is too long").optional(),
});

export const ForgotPasswordSchema = z.object({ email: Email });

export const ResetPasswordSchema = z
  .object({
    token: boundedString(800, "This reset link is incomplete", { required_error: "This reset link is incomplete" }).pipe(z.string().min(20).max(200)),
    password: Password,
    confirm: PasswordText("Repeat the new password"),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

export const ChangePasswordSchema = z
  .object({
    currentPassword: PasswordText("Enter your current password").pipe(z.string().max(PASSWORD_MAX)),
    newPassword: Password,
    confirm: PasswordText("Repeat the new password"),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

export const ProfileSchema = z.object({
  displayName: DisplayName,
  bio: typedText(bytesForChars(1000), "Use at most 1000 characters", { multiline: true }).pipe(z.string().max(1000, "Use at most 1000 characters")).default(""),
});

/** Account ids as the forms post them (cuid). */
const UserId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, "No such member");

export const RoleChangeSchema = z.object({
  userId: boundedString(160, "No such member").pipe(UserId),
  role: z.enum(ROLES, { errorMap: () => ({ message: "Choose one of the roles" }) }),
});

/** The longest suspension or silence with an end date; longer is "indefinitely" (no end date). */
export const SUSPENSION_MAX_DAYS = 3650;

/**
 * Suspend (or reinstate) an account, or silence it (read-only) and lift that (issue 19). Suspending
 * and silencing need a reason, which the member is shown; `days` empty means indefinitely.
 */
export const SuspendSchema = z
  .object({
    userId: boundedString(160, "No such member").pipe(UserId),
    suspend: z.enum(["true", "false"]).transform((v) => v === "true"),
    mode: z.enum(["suspend", "silence"], { errorMap: () => ({ message: "Choose suspend or silence" }) }).default("suspend"),
    reason: typedText(bytesForChars(300), "Keep the reason under 300 characters").pipe(z.string().max(300, "Keep the reason under 300 characters")).optional().default(""),
    days: z
      .string()
      .max(6, "Enter a number of days")
      .optional()
      .transform((v) => (v && v.trim() ? Number(v) : null))
      .pipe(
        z
          .number({ invalid_type_error: "Enter a number of days" })
          .int("Enter whole days")
          .min(1, "At least 1 day")
          .max(SUSPENSION_MAX_DAYS, `At most ${SUSPENSION_MAX_DAYS} days (or leave it empty: indefinitely)`)
          .nullable(),
      ),
  })
  .superRefine((v, ctx) => {
    if (v.suspend && v.reason.length === 0) ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason: the member is shown it" });
  });
export type SuspendInput = z.output<typeof SuspendSchema>;

export const UserSearchSchema = z.object({
  q: typedText(bytesForChars(100), "Use at most 100 characters").pipe(z.string().max(100, "Use at most 100 characters")).default(""),
  role: z.enum(ROLES).optional(),
});
