import { useSyncExternalStore, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from "recharts";

const noSubscription = () => () => {};

/** False on the server and during hydration, true afterwards (no effect, no extra state). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A chart with its text and table alternatives (ADR 024). Recharts 3 renders nothing on the server,
 * so the server (and a browser without JavaScript) shows the data table itself, or, for charts whose
 * data is in a shared table elsewhere on the page, a link to it; once hydrated the chart is drawn
 * and its own table stays one click away under it. The chart is an image with a text summary.
 */
export function ChartFigure({
  id,
  title,
  summary,
  toggleLabel,
  table,
  tableLink,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  toggleLabel: string;
  table?: ReactNode;
  tableLink?: { href: string; label: string };
  children: ReactNode;
}) {
  const mounted = useHydrated();
  const link = tableLink ? (
    <p className="dash-chart__link">
      <a href={tableLink.href}>{tableLink.label}</a>
    </p>
  ) : null;
  return (
    <figure className="dash-chart" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <figcaption id={`${id}-title`} className="dash-chart__title">
        {title}
      </figcaption>
      <p className="dash-chart__summary">{summary}</p>
      {mounted ? (
        <div className="dash-chart__plot" role="img" aria-label={`${title}. ${summary}`}>
          {children}
        </div>
      ) : null}
      {table ? (
        mounted ? (
          <details className="dash-chart__table">
            <summary>{toggleLabel}</summary>
            {table}
          </details>
        ) : (
          <div className="dash-chart__table">{table}</div>
        )
      ) : (
        link
      )}
    </figure>
  );
}

const COLORS = { a: "#0b6e6e", b: "#6d4bd1" };

type Series = { key: string; label: string };

export function LinesChart({ data, x, series }: { data: Record<string, unknown>[]; x: string; series: Series[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke="#d9dee5" strokeDasharray="3 3" />
        <XAxis dataKey={x} tick={{ fontSize: 11 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 11 }} width={40} allowDecimals />
        <Legend />
        {series.map((s, i) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={i === 0 ? COLORS.a : COLORS.b} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function BarsChart({ data, x, series }: { data: Record<string, unknown>[]; x: string; series: Series[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 32 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#d9dee5" strokeDasharray="3 3" />
        <XAxis type="number" domain={[0, 100]} tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey={x} tick={{ fontSize: 11 }} width={120} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={COLORS.a} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
