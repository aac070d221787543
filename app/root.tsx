import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AuthenticityTokenProvider } from "remix-utils/csrf/react";
import { useAppLinkNavigation } from "~/components/app-link.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { NavigationProgress, SiteFooter, SiteHeader } from "~/components/layout.tsx";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { requestLanguage } from "~/modules/users/preferred-language.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import stylesheet from "~/styles/app.css";
import { getCsrf } from "~/utils/csrf.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { issueFormToken } from "~/utils/submission.server.ts";
import { useNonce } from "~/utils/nonce.tsx";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Threadwise" }];

/** Passes Retry-After on when the root error boundary shows a 503 (the database was too busy: ADR 035). */
export const headers = forwardRetryAfter;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const [csrfToken, csrfCookie] = await getCsrf().commitToken(request);
  return json(
    {
      // The bell's count comes with the session, in the same statement (ADR 041).
      user: user ? { handle: user.handle, displayName: user.displayName, role: user.role, unread: user.unreadNotifications, avatarKey: user.avatarKey } : null,
      csrfToken,
      // A fresh one-time token for this page's forms (ADR 030); every action revalidates this loader.
      formToken: issueFormToken(),
      lang: await requestLanguage(request),
      requestId: context.requestId ?? null,
      // For absolute canonical, Open Graph and feed URLs in every route's meta (APP_URL, never Host: ADR 053).
      siteOrigin: siteOrigin(),
    },
    { headers: csrfCookie ? { "Set-Cookie": csrfCookie } : {} },
  );
}

function Document({ children, lang = "en" }: { children: ReactNode; lang?: string }) {
  const nonce = useNonce();
  return (
    <html lang={lang} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const { t } = useTranslation();
  useAppLinkNavigation();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <NavigationProgress />
      <SiteHeader user={data?.user ?? null} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <Document lang={data.lang}>
      <AuthenticityTokenProvider token={data.csrfToken}>
        <Shell>
          <Outlet />
        </Shell>
      </AuthenticityTokenProvider>
    </Document>
  );
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document lang={data?.lang}>
      <AuthenticityTokenProvider token={data?.csrfToken ?? ""}>
        <Shell>
          <GeneralErrorBoundary />
        </Shell>
      </AuthenticityTokenProvider>
    </Document>
  );
}
