import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { RichTextEditorMessages } from "./rich-text-editor.tsx";
import en from "~/locales/en/common.json";

/** The editor's labels from the i18n catalog (the `editor` keys), so they translate with the rest. */
export function useEditorMessages(): RichTextEditorMessages {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const keys = Object.keys(en.editor) as (keyof RichTextEditorMessages)[];
    return Object.fromEntries(keys.map((k) => [k, t(`editor.${k}`)])) as RichTextEditorMessages;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, i18n.language]);
}
