import { avatarColor, initialsOf } from "./avatar-art.ts";

/**
 * A member's picture: the uploaded one (/uploads/<key>, cropped square on the server) when they chose one,
 * else the generated initials drawn inline (no request, no third-party service). Decorative next to the
 * name it accompanies (alt=""), so a screen reader hears the name once.
 */
export function Avatar({ handle, name, avatarKey, size = 32 }: { handle: string; name: string; avatarKey?: string | null; size?: number }) {
  if (avatarKey) return <img className="avatar" src={`/uploads/${avatarKey}`} alt="" width={size} height={size} loading="lazy" data-avatar="uploaded" />;
  // One element (a circle of colour with the initials, styled by `.avatar[data-avatar=generated]`) where the
  // SVG was three: it is drawn beside every post's author (ADR 080).
  return (
    <span className="avatar" data-avatar="generated" aria-hidden="true" translate="no" style={{ width: size, height: size, background: avatarColor(handle), fontSize: Math.round(size * 0.41) }}>
      {initialsOf(name, handle)}
    </span>
  );
}
