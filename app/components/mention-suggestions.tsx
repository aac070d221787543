import type { Editor } from "@tiptap/core";
import { useEffect, useId, useRef, useState } from "react";

type Member = { handle: string; displayName: string };
type Query = { text: string; from: number; to: number };

/** "@ann" right before the cursor, not inside a word, an e-mail address, a link or code (the mention rule of mentions.ts). */
const TYPED_MENTION = /(?:^|[^A-Za-z0-9_.@/-])@([A-Za-z0-9_-]{1,30})$/;
const DEBOUNCE_MS = 150;

function typedMention(editor: Editor): Query | null {
  const { selection } = editor.state;
  if (!selection.empty) return null;
  const $from = selection.$from;
  if ($from.parent.type.name === "codeBlock" || editor.isActive("code") || editor.isActive("link")) return null;
  const before = $from.parent.textBetween(Math.max(0, $from.parentOffset - 40), $from.parentOffset, undefined, "\ufffc");
  const match = TYPED_MENTION.exec(before);
  if (!match) return null;
  return { text: match[1]!.toLowerCase(), from: selection.from - match[1]!.length - 1, to: selection.from };
}

/**
 * While "@" and the start of a handle are typed in the editor, offers matching members (from
 * /users/handles) in a list under the text: arrow keys move, Enter or Tab inserts "@handle ",
 * Escape closes; a click works too. The editor keeps the focus and points at the highlighted
 * option (aria-activedescendant); the number of suggestions is announced.
 */
export function MentionSuggestions({ editor, label, hint }: { editor: Editor; label: string; hint: string }) {
  const id = useId();
  const [query, setQuery] = useState<Query | null>(null);
  const [found, setFound] = useState<{ q: string; members: Member[] }>({ q: "", members: [] });
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const members = query && found.q === query.text && dismissed !== `${query.from}:${query.text}` ? found.members : [];
  const state = useRef({ members, active, query });
  useEffect(() => {
    state.current = { members, active, query };
  });

  // Follow the text before the cursor.
  useEffect(() => {
    const update = () => setQuery(typedMention(editor));
    editor.on("update", update);
    editor.on("selectionUpdate", update);
    return () => {
      editor.off("update", update);
      editor.off("selectionUpdate", update);
    };
  }, [editor]);

  // Ask the server once typing pauses.
  const wanted = query?.text ?? null;
  useEffect(() => {
    if (wanted === null) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetch(`/users/handles?q=${encodeURIComponent(wanted)}`, { credentials: "same-origin", signal: controller.signal })
        .then((r) => (r.ok ? r.json() : { members: [] }))
        .then((body: { members?: Member[] }) => {
          setFound({ q: wanted, members: body.members ?? [] });
          setActive(0);
        })
        .catch(() => {});
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [wanted]);

  function choose(member: Member) {
    const current = state.current.query;
    if (!current) return;
    editor.chain().focus().insertContentAt({ from: current.from, to: current.to }, `@${member.handle} `).run();
    setQuery(null);
  }

  // Keys go to the list while it is open (before ProseMirror sees them).
  useEffect(() => {
    const dom = editor.view.dom;
    const onKeyDown = (event: KeyboardEvent) => {
      const { members: list, active: index, query: current } = state.current;
      if (list.length === 0 || !current) return;
      const handled = ["ArrowDown", "ArrowUp", "Enter", "Tab", "Escape"].includes(event.key);
      if (!handled) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (event.key === "ArrowDown") setActive((index + 1) % list.length);
      else if (event.key === "ArrowUp") setActive((index - 1 + list.length) % list.length);
      else if (event.key === "Escape") setDismissed(`${current.from}:${current.text}`);
      else choose(list[index]!);
    };
    dom.addEventListener("keydown", onKeyDown, true);
    return () => dom.removeEventListener("keydown", onKeyDown, true);
    // choose() reads everything through the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor]);

  // The text field points at the highlighted option while the list is open.
  const open = members.length > 0;
  const activeId = open ? `${id}-option-${Math.min(active, members.length - 1)}` : null;
  useEffect(() => {
    const dom = editor.view.dom;
    if (activeId) {
      dom.setAttribute("aria-activedescendant", activeId);
      dom.setAttribute("aria-controls", `${id}-list`);
    } else {
      dom.removeAttribute("aria-activedescendant");
      dom.removeAttribute("aria-controls");
    }
  }, [editor, activeId, id]);

  return (
    <>
      {open ? (
        <div id={`${id}-list`} role="listbox" aria-label={label} className="mention-suggestions">
          {members.map((member, index) => (
            <button
              key={member.handle}
              id={`${id}-option-${index}`}
              type="button"
              role="option"
              aria-selected={index === Math.min(active, members.length - 1)}
              tabIndex={-1}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(member)}
            >
              @{member.handle} <span className="muted">{member.displayName}</span>
            </button>
          ))}
        </div>
      ) : null}
      <span className="visually-hidden" role="status">
        {open ? `${label}: ${members.length}. ${hint}` : ""}
      </span>
    </>
  );
}
