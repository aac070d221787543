import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";

/** Every unknown URL: a real 404 status with the site's layout. */
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
