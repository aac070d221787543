import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useAuthenticityToken } from "remix-utils/csrf/react";
import { translateMessage } from "~/utils/messages.ts";

/** The editor's upload hook: posts the file to /uploads with the CSRF token and returns its src. */
export function useImageUpload(): (file: File) => Promise<string> {
  const csrf = useAuthenticityToken();
  const { t, i18n } = useTranslation();
  return useCallback(
    async (file: File) => {
      const body = new FormData();
      body.set("csrf", csrf);
      body.set("file", file);
      const response = await fetch("/uploads", { method: "POST", body, credentials: "same-origin" });
      const data = (await response.json().catch(() => null)) as { ok?: boolean; src?: string; formErrors?: string[]; fieldErrors?: Record<string, string[]> } | null;
      if (!response.ok || !data?.src) {
        const message = data?.fieldErrors?.file?.[0] ?? data?.formErrors?.[0];
        throw new Error(message ? translateMessage(t, message, i18n.language) : t("editor.uploadFailed"));
      }
      return data.src;
    },
    [csrf, t, i18n.language],
  );
}
