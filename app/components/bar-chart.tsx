import { useId } from "react";

export interface Bar {
  label: string;
  value: number | null;
  /** The value as words, e.g. "4.5 days"; shown beside the bar and in the table. */
  text: string;
}

const ROW = 28;
const LABEL_W = 120;
const WIDTH = 360;

/**
 * A horizontal bar chart drawn on the server as inline SVG, no script and no library. The SVG is
 * hidden from screen readers; the same figures follow in a table, which is what they read.
 */
export function BarChart({ title, bars, max, headers }: { title: string; bars: Bar[]; max?: number; headers: [string, string] }) {
  const id = useId();
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value ?? 0), 1);
  const height = bars.length * ROW + 8;
  const barW = WIDTH - LABEL_W - 70;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const y = i * ROW + 4;
          const w = b.value ? Math.max(2, (b.value / top) * barW) : 0;
          return (
            <g key={i}>
              <text x={LABEL_W - 6} y={y + 17} textAnchor="end" fontSize="13" fill="currentColor">
                {b.label.length > 9 ? `${b.label.slice(0, 8)}…` : b.label}
              </text>
              <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 10} fill="#1d70b8" />
              <text x={LABEL_W + w + 6} y={y + 17} fontSize="13" fill="currentColor">
                {b.text}
              </text>
            </g>
          );
        })}
      </svg>
      {/* overflow does not clip a table box itself, so the hiding wrapper is a div */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{headers[0]}</th>
              <th scope="col">{headers[1]}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b, i) => (
              <tr key={i}>
                <th scope="row">{b.label}</th>
                <td>{b.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
