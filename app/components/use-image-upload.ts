import { useCallback } from "react";
import { useAuthenticityToken } from "remix-utils/csrf/react";

/** The editor's upload hook: posts the file to /uploads with the CSRF token and returns its src. */
export function useImageUpload(): (file: File) => Promise<string> {
  const csrf = useAuthenticityToken();
  return useCallback(
    async (file: File) => {
      const body = new FormData();
      body.set("csrf", csrf);
      body.set("file", file);
      const response = await fetch("/uploads", { method: "POST", body, credentials: "same-origin" });
      const data = (await response.json().catch(() => null)) as { ok?: boolean; src?: string; formErrors?: string[]; fieldErrors?: Record<string, string[]> } | null;
      if (!response.ok || !data?.src) throw new Error(data?.fieldErrors?.file?.[0] ?? data?.formErrors?.[0] ?? "The image could not be uploaded");
      return data.src;
    },
    [csrf],
  );
}
