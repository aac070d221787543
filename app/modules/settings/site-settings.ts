/**
 * The site settings an admin changes at run time (issue 19), with their defaults. Client-safe: the
 * settings page lists them from here. Stored one row per key in `site_settings`.
 */
export const SITE_SETTINGS = {
  /** Hold new members' first posts unseen until a moderator approves them on /review. */
  approveFirstPosts: false,
} as const;

export type SiteSettingKey = keyof typeof SITE_SETTINGS;
export type SiteSettings = { [K in SiteSettingKey]: (typeof SITE_SETTINGS)[K] extends boolean ? boolean : (typeof SITE_SETTINGS)[K] };
