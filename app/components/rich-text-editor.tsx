import type { Editor, JSONContent } from "@tiptap/core";
import { NodeSelection, TextSelection } from "@tiptap/pm/state";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { RichTextDoc } from "~/modules/content/rich-text.schema.ts";
import {
  UPLOAD_IMAGE_TYPES,
  docToPlainText,
  emptyDoc,
  isSafeImageSrc,
  isSafeLinkHref,
  richTextExtensions,
  textToDoc,
} from "~/modules/content/rich-text.ts";
import { MentionSuggestions } from "./mention-suggestions.tsx";

/**
 * The rich-text field of a normal <form>: a Tiptap editor whose JSON travels in a hidden input
 * named `name`. Before hydration, and without JavaScript, it is a plain textarea named
 * `<name>Text` that the server turns into paragraphs (textToDoc), so posting works either way.
 * The toolbar is made of real buttons (Tab reaches them; Ctrl/Cmd+B, I, E work in the text).
 */

export type RichTextEditorMessages = {
  toolbar: string;
  heading2: string;
  heading3: string;
  bold: string;
  italic: string;
  code: string;
  codeBlock: string;
  bulletList: string;
  orderedList: string;
  quote: string;
  link: string;
  linkGlyph: string;
  image: string;
  imageGlyph: string;
  uploadImage: string;
  linkAddress: string;
  imageAddress: string;
  imageDescription: string;
  apply: string;
  removeLink: string;
  cancel: string;
  badLink: string;
  badImage: string;
  badImageType: string;
  uploading: string;
  uploaded: string;
  uploadFailed: string;
  fallbackHint: string;
  mentionSuggestions: string;
  mentionHint: string;
};

const ENGLISH: RichTextEditorMessages = {
  toolbar: "Formatting",
  heading2: "Heading",
  heading3: "Subheading",
  bold: "Bold",
  italic: "Italic",
  code: "Inline code",
  codeBlock: "Code block",
  bulletList: "Bulleted list",
  orderedList: "Numbered list",
  quote: "Quote",
  link: "Link",
  linkGlyph: "Link",
  image: "Image from an address",
  imageGlyph: "Image",
  uploadImage: "Upload image",
  linkAddress: "Link address",
  imageAddress: "Image address (https://)",
  imageDescription: "Description for people who cannot see the image",
  apply: "Apply",
  removeLink: "Remove link",
  cancel: "Cancel",
  badLink: "Links must start with http://, https:// or mailto:",
  badImage: "Images must use an https:// address",
  badImageType: "Choose a PNG, JPEG, GIF or WebP image",
  uploading: "Uploading the image…",
  uploaded: "Image added",
  uploadFailed: "The image could not be uploaded",
  fallbackHint: "Leave a blank line between paragraphs.",
  mentionSuggestions: "Members to mention",
  mentionHint: "Up and down arrows choose, Enter inserts, Escape closes.",
};

export type RichTextEditorProps = {
  name: string;
  label: ReactNode;
  /** A stored document; anything that is not a valid one is shown as its plain text. */
  defaultValue?: object | null;
  /** Ids of hints describing the field. */
  describedBy?: string;
  /** Id of the element listing this field's errors; the field is marked invalid while it is set (unless `invalid` says otherwise). */
  errorId?: string;
  invalid?: boolean;
  /** CSS length of the editable area. */
  minHeight?: string;
  onUploadImage?: (file: File) => Promise<string>;
  onChange?: (doc: JSONContent) => void;
  /** Translations of the toolbar and messages (English by default). */
  messages?: Partial<RichTextEditorMessages>;
  /** Offer members' handles while "@handle" is typed (posts, where mentions notify). */
  suggestMentions?: boolean;
};

function initialDocument(value: object | null | undefined): JSONContent {
  if (!value) return emptyDoc();
  const checked = RichTextDoc.safeParse(value);
  return checked.success ? (checked.data as JSONContent) : textToDoc(docToPlainText(value as JSONContent));
}

/**
 * Inserts an image and puts the cursor in a paragraph after it: Tiptap leaves the new image
 * selected, so the next image or keystroke would replace it.
 */
function insertImage(editor: Editor, attrs: { src: string; alt?: string }) {
  editor
    .chain()
    .focus()
    .setImage(attrs)
    .command(({ tr, dispatch }) => {
      if (!dispatch || !(tr.selection instanceof NodeSelection)) return true;
      const after = tr.selection.to;
      if (!tr.doc.resolve(after).nodeAfter?.isTextblock) tr.insert(after, tr.doc.type.schema.nodes.paragraph.create());
      tr.setSelection(TextSelection.create(tr.doc, after + 1));
      return true;
    })
    .run();
}

/** What people type into the link box: a bare domain becomes https://, a bare e-mail address mailto:. */
function normalizeLink(input: string): string {
  const value = input.trim();
  if (value === "" || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  if (/^[^\s/@]+@[^\s/@]+\.[^\s/@]+$/.test(value)) return `mailto:${value}`;
  return `https://${value.replace(/^\/\/+/, "")}`;
}

type Panel = "link" | "image" | null;

const noSubscription = () => () => {};

/** False while the server renders and while the browser hydrates that HTML, true afterwards. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export function RichTextEditor({
  name,
  label,
  defaultValue,
  describedBy,
  errorId,
  invalid,
  minHeight = "10rem",
  onUploadImage,
  onChange,
  messages,
  suggestMentions = false,
}: RichTextEditorProps) {
  const text = { ...ENGLISH, ...messages };
  const id = useId();
  const labelId = `${id}-label`;
  const editorId = `${id}-editor`;
  const textareaId = `${id}-text`;
  const hintId = `${id}-hint`;

  // Only the first value counts, as with an uncontrolled input.
  const [initialDoc] = useState(() => initialDocument(defaultValue));
  const [status, setStatus] = useState("");
  const fallbackText = useMemo(() => docToPlainText(initialDoc), [initialDoc]);
  const [json, setJson] = useState(() => JSON.stringify(initialDoc));
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const typedRef = useRef<string | undefined>(undefined);
  const labelRef = useRef<HTMLLabelElement>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  const hydrated = useHydrated();
  const isInvalid = invalid ?? Boolean(errorId);
  const describedByIds = [describedBy, errorId].filter(Boolean).join(" ");

  const editor = useEditor({
    extensions: richTextExtensions,
    content: initialDoc,
    immediatelyRender: false,
    editorProps: {
      attributes: {
        id: editorId,
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        ...(describedByIds ? { "aria-describedby": describedByIds } : {}),
        "aria-invalid": isInvalid ? "true" : "false",
        class: "rich-text rich-text-editor__content",
      },
    },
    // Someone may have typed into the textarea before the script arrived: keep their text. It is
    // read while the editor is being built, the last moment the textarea is still on the page.
    onBeforeCreate: () => {
      typedRef.current = textareaRef.current?.value;
    },
    onCreate: ({ editor: created }) => {
      const typed = typedRef.current;
      if (typed !== undefined && typed !== fallbackText) created.commands.setContent(textToDoc(typed));
      // The hidden input appears with the editor; give it the editor's content at once.
      setJson(JSON.stringify(created.getJSON()));
    },
    onUpdate: ({ editor: changed }) => {
      const doc = changed.getJSON();
      setJson(JSON.stringify(doc));
      onChangeRef.current?.(doc);
    },
  });

  // A <label> cannot focus a contenteditable element by itself.
  useEffect(() => {
    const labelElement = labelRef.current;
    if (!editor || !labelElement) return;
    const focus = () => editor.commands.focus();
    labelElement.addEventListener("click", focus);
    return () => labelElement.removeEventListener("click", focus);
  }, [editor]);

  const style = { "--rich-text-min-height": minHeight } as CSSProperties;

  if (!editor) {
    return (
      <div className="field rich-text-field" style={style}>
        <label id={labelId} htmlFor={textareaId}>
          {label}
        </label>
        <span id={hintId} className="hint">
          {text.fallbackHint}
        </span>
        <textarea
          ref={textareaRef}
          id={textareaId}
          name={`${name}Text`}
          // While hydrating, React would reset a textarea whose text equals its defaultValue, wiping
          // what was typed before the script arrived; without a defaultValue it leaves the text alone.
          defaultValue={hydrated || typeof document === "undefined" ? fallbackText : undefined}
          suppressHydrationWarning
          rows={10}
          className="rich-text-fallback"
          aria-describedby={[hintId, describedByIds].filter(Boolean).join(" ")}
          aria-invalid={isInvalid || undefined}
        />
      </div>
    );
  }

  return (
    <div className="field rich-text-field" style={style}>
      <label id={labelId} ref={labelRef} htmlFor={editorId}>
        {label}
      </label>
      <div className="rich-text-editor">
        <Toolbar editor={editor} editorId={editorId} text={text} setStatus={setStatus} onUploadImage={onUploadImage} />
        <EditorContent editor={editor} />
        {suggestMentions ? <MentionSuggestions editor={editor} label={text.mentionSuggestions} hint={text.mentionHint} /> : null}
      </div>
      <p className="rich-text-status" role="status">
        {status}
      </p>
      {/* Controlled: with defaultValue, every re-render (a status message, say) put the initial document back. */}
      <input type="hidden" name={name} value={json} readOnly />
    </div>
  );
}

function Toolbar({
  editor,
  editorId,
  text,
  setStatus,
  onUploadImage,
}: {
  editor: Editor;
  editorId: string;
  text: RichTextEditorMessages;
  setStatus: (status: string) => void;
  onUploadImage?: (file: File) => Promise<string>;
}) {
  const active = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      heading2: current.isActive("heading", { level: 2 }),
      heading3: current.isActive("heading", { level: 3 }),
      bold: current.isActive("bold"),
      italic: current.isActive("italic"),
      code: current.isActive("code"),
      codeBlock: current.isActive("codeBlock"),
      bulletList: current.isActive("bulletList"),
      orderedList: current.isActive("orderedList"),
      quote: current.isActive("blockquote"),
      link: current.isActive("link"),
    }),
  });
  const [panel, setPanel] = useState<Panel>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const toggles: { key: keyof typeof active; glyph: string; label: string; shortcut?: string; run: () => void }[] = [
    { key: "heading2", glyph: "H2", label: text.heading2, run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: "heading3", glyph: "H3", label: text.heading3, run: () => editor.chain().focus().toggleHeading({ level: 3 }).run() },
    { key: "bold", glyph: "B", label: text.bold, shortcut: "Ctrl+B", run: () => editor.chain().focus().toggleBold().run() },
    { key: "italic", glyph: "I", label: text.italic, shortcut: "Ctrl+I", run: () => editor.chain().focus().toggleItalic().run() },
    { key: "code", glyph: "</>", label: text.code, shortcut: "Ctrl+E", run: () => editor.chain().focus().toggleCode().run() },
    { key: "codeBlock", glyph: "{ }", label: text.codeBlock, run: () => editor.chain().focus().toggleCodeBlock().run() },
    { key: "bulletList", glyph: "•", label: text.bulletList, run: () => editor.chain().focus().toggleBulletList().run() },
    { key: "orderedList", glyph: "1.", label: text.orderedList, run: () => editor.chain().focus().toggleOrderedList().run() },
    { key: "quote", glyph: "❝", label: text.quote, run: () => editor.chain().focus().toggleBlockquote().run() },
  ];

  async function upload(file: File) {
    if (!onUploadImage) return;
    if (!(UPLOAD_IMAGE_TYPES as readonly string[]).includes(file.type)) {
      setStatus(text.badImageType);
      return;
    }
    setStatus(text.uploading);
    try {
      const src = await onUploadImage(file);
      if (!isSafeImageSrc(src)) throw new Error(text.badImage);
      // The file name is a first description; the author can change it like any image's.
      insertImage(editor, { src, alt: file.name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ").trim() || "image" });
      setStatus(text.uploaded);
    } catch (error) {
      setStatus(error instanceof Error && error.message ? error.message : text.uploadFailed);
    }
  }

  return (
    <>
      <div className="rich-text-toolbar" role="toolbar" aria-label={text.toolbar} aria-controls={editorId}>
        {toggles.map((toggle) => (
          <button
            key={toggle.key}
            type="button"
            className={`rich-text-toolbar__button rich-text-toolbar__button--${toggle.key}`}
            aria-label={toggle.label}
            aria-pressed={active[toggle.key]}
            title={toggle.shortcut ? `${toggle.label} (${toggle.shortcut})` : toggle.label}
            onClick={toggle.run}
          >
            <span aria-hidden="true">{toggle.glyph}</span>
          </button>
        ))}
        <button
          type="button"
          className="rich-text-toolbar__button rich-text-toolbar__button--text"
          aria-label={text.link}
          aria-pressed={active.link}
          aria-expanded={panel === "link"}
          title={text.link}
          onClick={() => setPanel(panel === "link" ? null : "link")}
        >
          <span aria-hidden="true">{text.linkGlyph}</span>
        </button>
        <button
          type="button"
          className="rich-text-toolbar__button rich-text-toolbar__button--text"
          aria-label={text.image}
          aria-expanded={panel === "image"}
          title={text.image}
          onClick={() => setPanel(panel === "image" ? null : "image")}
        >
          <span aria-hidden="true">{text.imageGlyph}</span>
        </button>
        {onUploadImage ? (
          <>
            <button type="button" className="rich-text-toolbar__button rich-text-toolbar__button--text" onClick={() => fileRef.current?.click()}>
              {text.uploadImage}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept={UPLOAD_IMAGE_TYPES.join(",")}
              hidden
              tabIndex={-1}
              aria-label={text.uploadImage}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                event.currentTarget.value = "";
                if (file) void upload(file);
              }}
            />
          </>
        ) : null}
      </div>
      {panel === "link" ? (
        <LinkPanel editor={editor} text={text} close={() => setPanel(null)} isLink={active.link} />
      ) : panel === "image" ? (
        <ImagePanel editor={editor} text={text} close={() => setPanel(null)} />
      ) : null}
    </>
  );
}

/** Enter applies and Escape closes, without submitting the surrounding form. */
function panelKeys(apply: () => void, close: () => void) {
  return (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      apply();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  };
}

function LinkPanel({ editor, text, close, isLink }: { editor: Editor; text: RichTextEditorMessages; close: () => void; isLink: boolean }) {
  const [href, setHref] = useState(() => (editor.getAttributes("link").href as string | undefined) ?? "");
  const [error, setError] = useState("");
  const inputId = useId();
  const errorId = `${inputId}-error`;

  function done() {
    close();
    editor.commands.focus();
  }

  function apply() {
    const url = normalizeLink(href);
    if (url === "") return remove();
    if (!isSafeLinkHref(url)) {
      setError(text.badLink);
      return;
    }
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive("link")) {
      editor.chain().focus().insertContent({ type: "text", text: url, marks: [{ type: "link", attrs: { href: url } }] }).run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href: url }).run();
    }
    close();
  }

  function remove() {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    close();
  }

  return (
    <div className="rich-text-panel" role="group" aria-label={text.link}>
      <label htmlFor={inputId}>{text.linkAddress}</label>
      <input
        id={inputId}
        type="url"
        inputMode="url"
        autoFocus
        value={href}
        placeholder="https://"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          setHref(event.target.value);
          setError("");
        }}
        onKeyDown={panelKeys(apply, done)}
      />
      <div className="rich-text-panel__actions">
        <button type="button" className="button small" onClick={apply}>
          {text.apply}
        </button>
        {isLink ? (
          <button type="button" className="button small secondary" onClick={remove}>
            {text.removeLink}
          </button>
        ) : null}
        <button type="button" className="link-button" onClick={done}>
          {text.cancel}
        </button>
      </div>
      {error ? (
        <p id={errorId} className="field-errors" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ImagePanel({ editor, text, close }: { editor: Editor; text: RichTextEditorMessages; close: () => void }) {
  const [src, setSrc] = useState("");
  const [alt, setAlt] = useState("");
  const [error, setError] = useState("");
  const srcId = useId();
  const altId = useId();
  const errorId = `${srcId}-error`;

  function done() {
    close();
    editor.commands.focus();
  }

  function apply() {
    const url = src.trim();
    if (!isSafeImageSrc(url)) {
      setError(text.badImage);
      return;
    }
    insertImage(editor, { src: url, ...(alt.trim() ? { alt: alt.trim() } : {}) });
    close();
  }

  return (
    <div className="rich-text-panel" role="group" aria-label={text.image}>
      <label htmlFor={srcId}>{text.imageAddress}</label>
      <input
        id={srcId}
        type="url"
        inputMode="url"
        autoFocus
        value={src}
        placeholder="https://"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          setSrc(event.target.value);
          setError("");
        }}
        onKeyDown={panelKeys(apply, done)}
      />
      <label htmlFor={altId}>{text.imageDescription}</label>
      <input id={altId} type="text" value={alt} onChange={(event) => setAlt(event.target.value)} onKeyDown={panelKeys(apply, done)} />
      <div className="rich-text-panel__actions">
        <button type="button" className="button small" onClick={apply}>
          {text.apply}
        </button>
        <button type="button" className="link-button" onClick={done}>
          {text.cancel}
        </button>
      </div>
      {error ? (
        <p id={errorId} className="field-errors" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
