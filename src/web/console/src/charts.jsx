// Inline SVG charts (no library, no inline style: colours are classes in
// console.css). Each chart has a title and a text alternative; the links to
// the rows behind each bar follow it as a list (links inside an image
// would be nested interactive content).

// items: [{label, value, href?, tone?}], drawn as horizontal bars.
export function BarChart({ title, items, id }) {
  const rowHeight = 26;
  const labelWidth = 150;
  const width = 460;
  const max = Math.max(1, ...items.map((item) => item.value));
  const height = Math.max(rowHeight, items.length * rowHeight);
  const summary = items.map((item) => `${item.label}: ${item.value}`).join(', ');
  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {items.length === 0 ? <p class="muted">No data.</p> : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img"
          aria-labelledby={`${id}-title ${id}-desc`}>
          <desc id={`${id}-desc`}>{summary}</desc>
          {items.map((item, index) => {
            const y = index * rowHeight;
            const barWidth = ((width - labelWidth - 50) * item.value) / max;
            return (
              <g>
                <text x={labelWidth - 8} y={y + 17} text-anchor="end" class="chart-label">{item.label}</text>
                <rect x={labelWidth} y={y + 5} width={Math.max(2, barWidth)} height={rowHeight - 10}
                  class={`bar bar-${item.tone || 'plain'}`} />
                <text x={labelWidth + barWidth + 6} y={y + 17} class="chart-value">{item.value}</text>
              </g>
            );
          })}
        </svg>
      )}
      {items.some((item) => item.href) ? (
        <ul class="drill" aria-label={`${title}: the rows behind each bar`}>
          {items.filter((item) => item.href).map((item) => (
            <li><a href={item.href}>{item.label} ({item.value})</a></li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}

// series: [{name, tone, points: [{x: Date, y: 0..1}]}], oldest first.
export function ShareChart({ title, series, id }) {
  const width = 460;
  const height = 180;
  const pad = { left: 40, right: 10, top: 10, bottom: 24 };
  const all = series.flatMap((s) => s.points);
  const summary = series.map((s) => {
    const last = s.points[s.points.length - 1];
    return `${s.name}: ${last ? Math.round(last.y * 100) : '-'}%`;
  }).join(', ');
  if (all.length === 0) {
    return (<figure class="chart"><figcaption>{title}</figcaption><p class="muted">No history yet.</p></figure>);
  }
  const times = all.map((p) => p.x.getTime());
  const minX = Math.min(...times);
  const spanX = Math.max(1, Math.max(...times) - minX);
  const px = (x) => pad.left + ((x.getTime() - minX) / spanX) * (width - pad.left - pad.right);
  const py = (y) => pad.top + (1 - y) * (height - pad.top - pad.bottom);
  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <desc id={`${id}-desc`}>{`Latest: ${summary}`}</desc>
        {[0, 0.5, 1].map((y) => (
          <g>
            <line x1={pad.left} x2={width - pad.right} y1={py(y)} y2={py(y)} class="grid" />
            <text x={pad.left - 6} y={py(y) + 4} text-anchor="end" class="chart-label">{`${y * 100}%`}</text>
          </g>
        ))}
        {series.map((s) => (
          <g>
            <polyline fill="none" class={`line line-${s.tone}`}
              points={s.points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')} />
            {s.points.map((p) => <circle cx={px(p.x)} cy={py(p.y)} r="3" class={`dot line-${s.tone}`} />)}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {series.map((s) => <li><span class={`swatch line-${s.tone}`} aria-hidden="true" />{s.name}</li>)}
      </ul>
    </figure>
  );
}
