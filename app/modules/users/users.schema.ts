import { z } from "zod";
import { plainText } from "~/modules/content/plain-text.schema.ts";
import { ROLES } from "./roles.ts";

/**
 * Form contracts shared by the browser (Conform validates as you type) and the server (the use
 * cases parse with the same schema). Server-only checks (common passwords, uniqueness) come after.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const Email = z
  .string({ required_error: "Enter your e-mail address" })
  .trim()
  .max(254, "That e-mail address is too long")
  .email("Enter a valid e-mail address");

export const Password = z
  .string({ required_error: "Enter a password" })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

export const Handle = plainText({ required: "Choose a handle" }).pipe(
  z
    .string()
    .min(3, "Use at least 3 characters")
    .max(30, "Use at most 30 characters")
    .regex(/^[a-zA-Z0-9_-]+$/, "Use only letters, digits, _ and -"),
);

export const DisplayName = plainText({ required: "Enter your name" }).pipe(z.string().min(1, "Enter your name").max(60, "Use at most 60 characters"));

export const SignupSchema = z.object({
  email: Email,
  handle: Handle,
  displayName: DisplayName,
  password: Password,
});

export const LoginSchema = z.object({
  email: Email,
  password: z.string({ required_error: "Enter your password" }).min(1, "Enter your password").max(PASSWORD_MAX),
  redirectTo: z.string().optional(),
});

export const ForgotPasswordSchema = z.object({ email: Email });

export const ResetPasswordSchema = z
  .object({
    token: z.string({ required_error: "This reset link is incomplete" }).min(20).max(200),
    password: Password,
    confirm: z.string({ required_error: "Repeat the new password" }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: "Enter your current password" }).max(PASSWORD_MAX),
    newPassword: Password,
    confirm: z.string({ required_error: "Repeat the new password" }),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

export const ProfileSchema = z.object({
  displayName: DisplayName,
  bio: plainText({ multiline: true }).pipe(z.string().max(1000, "Use at most 1000 characters")).default(""),
});

/** Account ids as the forms post them (cuid). */
const UserId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, "No such member");

export const RoleChangeSchema = z.object({
  userId: UserId,
  role: z.enum(ROLES, { errorMap: () => ({ message: "Choose one of the roles" }) }),
});

export const SuspendSchema = z.object({
  userId: UserId,
  suspend: z.enum(["true", "false"]).transform((v) => v === "true"),
});

export const UserSearchSchema = z.object({
  q: plainText().pipe(z.string().max(100, "Use at most 100 characters")).default(""),
  role: z.enum(ROLES).optional(),
});

/** Only same-site, path-absolute redirects: never to another host. */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  // eslint-disable-next-line no-control-regex
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || /[\u0000-\u001f\u007f-\u009f]/.test(to)) return fallback;
  return to;
}
