import { avatarColor, initialsOf } from "./avatar-art.ts";

/**
 * A member's picture: the uploaded one (/uploads/<key>, cropped square on the server) when they chose one,
 * else the generated initials drawn inline (no request, no third-party service). Decorative next to the
 * name it accompanies (alt=""), so a screen reader hears the name once.
 */
export function Avatar({ handle, name, avatarKey, size = 32 }: { handle: string; name: string; avatarKey?: string | null; size?: number }) {
  if (avatarKey) return <img className="avatar" src={`/uploads/${avatarKey}`} alt="" width={size} height={size} loading="lazy" data-avatar="uploaded" />;
  return (
    <svg className="avatar" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false" data-avatar="generated" {...({ translate: "no" } as object)}>
      <rect width="64" height="64" rx="32" fill={avatarColor(handle)} />
      <text x="32" y="32" dy="0.35em" textAnchor="middle" fontFamily="system-ui, sans-serif" fontSize="26" fontWeight="600" fill="#fff">
        {initialsOf(name, handle)}
      </text>
    </svg>
  );
}
