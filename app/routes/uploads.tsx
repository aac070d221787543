import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { uploadImage } from "~/modules/content/upload-image.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";

/**
 * POST /uploads (multipart, field "file"): stores an image and answers { src }. The body was capped
 * before it got here (BODY_LIMITS.uploadBytes, app/server/body-limit.ts).
 */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const file = formData.get("file");
  if (!(file instanceof Blob)) return json({ ok: false, formErrors: ["messages.content.chooseImage"], fieldErrors: { file: ["messages.content.chooseImage"] } }, { status: 400 });
  const result = await uploadImage(user.id, { bytes: new Uint8Array(await file.arrayBuffer()) });
  if (!result.ok) return failureResponse(result);
  return json({ ok: true, src: result.value.src });
}
