// svgchart.js - small SVG charts where Chart.js's canvas cannot say what
// it draws: a step curve on a time axis to scale (Kaplan-Meier), dots
// with whiskers for intervals, and a line of a few periods.  Each is an
// <svg role="img"> named by its title, with the same numbers in a table
// under a <details>, so a screen reader, a test and a person read the
// same figures (or the list beside the chart does: table null).  Marks carry their numbers (data-x, data-low, ...) too.
import { html, pct, day } from './ui.js';
import { COLORS } from './chart.js';

const W = 600;
const PAD = { l: 48, r: 16, t: 12, b: 36 };

// Even ticks from 0 to max, about n of them, on a 1-2-5 step.
function ticks(max, n = 5) {
    if (!(max > 0)) return [0];
    const raw = max / n;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw);
    const out = [];
    for (let v = 0; v <= max + step * 1e-9; v += step) out.push(v);
    return out;
}

// Day ticks in whole quarters or years, so the axis reads as time.
function dayTicks(max) {
    const step = [91.3125, 182.625, 365.25, 730.5].find((s) => max / s <= 6);
    const out = [];
    for (let v = 0; v <= max; v += step || 1461) out.push(v);
    return out;
}
const dayLabel = (d) =>
    d === 0
        ? '0'
        : d % 365.25 < 1
          ? `${Math.round(d / 365.25)} y`
          : `${Math.round(d / 30.4375)} mo`;

function Frame({ title, testid, height, children, table, extra, note }) {
    return html`<figure class="chart svg-chart" data-testid=${testid} ...${extra || {}}>
        <svg viewBox=${`0 0 ${W} ${height}`} role="img" aria-label=${title}
            preserveAspectRatio="xMidYMid meet" width="100%">
            <title>${title}</title>
            ${children}
        </svg>
        <figcaption>${title}</figcaption>
        ${note && html`<p class="meta chart-note">${note}</p>`}
        ${
            table &&
            html`<details class="chart-numbers"><summary>The numbers</summary>
            <div class="table-wrap">${table}</div></details>`
        }
    </figure>`;
}

function YAxis({ y, vals, fmt, x0, x1 }) {
    return vals.map(
        (v) => html`<g class="tick">
        <line x1=${x0} x2=${x1} y1=${y(v)} y2=${y(v)} stroke="#e5e7eb" />
        <text x=${x0 - 6} y=${y(v) + 4} text-anchor="end" font-size="11" fill="#374151">${fmt(v)}</text></g>`,
    );
}

// series: [{label, points: [{day, survival, censored}]}]: survival curves
// drawn as steps on a day axis to scale; each point a dot at its day, and
// a tick across the curve where customers were censored since the point
// before (still customers when their follow-up ended), as Kaplan-Meier
// plots mark them.  The legend sits low, where retention curves seldom go.
export function StepChart({ series, title, testid, xLabel, height = 260 }) {
    const xMax = Math.max(
        1,
        ...series.flatMap((s) => s.points.map((p) => p.day)),
    );
    const x = (d) => PAD.l + (d / xMax) * (W - PAD.l - PAD.r);
    const y = (v) => PAD.t + (1 - v) * (height - PAD.t - PAD.b);
    const path = (pts) =>
        pts
            .map((p, i) =>
                i === 0
                    ? `M${x(p.day)},${y(p.survival)}`
                    : `H${x(p.day)}V${y(p.survival)}`,
            )
            .join('');
    const days = [
        ...new Set(series.flatMap((s) => s.points.map((p) => p.day))),
    ].sort((a, b) => a - b);
    const table = html`<table class="data"><caption class="sr-only">${title}</caption>
        <thead><tr><th scope="col">Days</th>${series.map((s) => html`<th scope="col" class="n">${s.label}</th>`)}</tr></thead>
        <tbody>${days.map(
            (d) =>
                html`<tr><th scope="row">${d}</th>${series.map((s) => {
                    const p = s.points.find((q) => q.day === d);
                    return html`<td class="n">${p ? `${pct(p.survival)} (${pct(p.ci_low)} – ${pct(p.ci_high)})` : '—'}${p && p.censored ? html`<br /><span class="censored" data-censored=${p.censored}>${p.censored} censored</span>` : ''}</td>`;
                })}</tr>`,
        )}</tbody></table>`;
    const note =
        series.some((s) => s.points.some((p) => p.censored > 0)) &&
        'A tick across a curve marks customers whose follow-up ended since the point before while they were still customers (censored): they count as retained until then, and no longer after.';
    return html`<${Frame} title=${title} testid=${testid} height=${height} table=${table}
        extra=${{ 'data-x-max': xMax }} note=${note}>
        <${YAxis} y=${y} vals=${[0, 0.25, 0.5, 0.75, 1]} fmt=${(v) => `${v * 100}%`} x0=${PAD.l} x1=${W - PAD.r} />
        ${dayTicks(xMax).map(
            (d) =>
                html`<text x=${x(d)} y=${height - PAD.b + 14} text-anchor="middle" font-size="11" fill="#374151">${dayLabel(d)}</text>`,
        )}
        <text x=${(PAD.l + W - PAD.r) / 2} y=${height - 4} text-anchor="middle" font-size="11" fill="#374151">${xLabel}</text>
        <rect class="plot" x=${PAD.l} y=${PAD.t} width=${W - PAD.l - PAD.r} height=${height - PAD.t - PAD.b} fill="none" stroke="#9ca3af" />
        ${series.map((s, i) => {
            const c = COLORS[i % COLORS.length];
            return html`<g class="series" data-label=${s.label}>
                <path d=${path(s.points)} fill="none" stroke=${c} stroke-width="2" />
                ${s.points.map(
                    (
                        p,
                    ) => html`<circle class="point" cx=${x(p.day)} cy=${y(p.survival)} r="2.5" fill=${c}
                    data-day=${p.day} data-survival=${p.survival} />`,
                )}
                ${s.points
                    .filter((p) => p.censored > 0)
                    .map(
                        (p) =>
                            html`<line class="censor" x1=${x(p.day)} x2=${x(p.day)} y1=${y(p.survival) - 6} y2=${y(p.survival) + 6}
                            stroke=${c} stroke-width="1.5" data-day=${p.day} data-censored=${p.censored} />`,
                    )}</g>`;
        })}
        ${series.map(
            (
                s,
                i,
            ) => html`<g class="legend"><rect x=${PAD.l + 8 + i * 140} y=${height - PAD.b - 20} width="10" height="10" fill=${COLORS[i % COLORS.length]} />
            <text x=${PAD.l + 22 + i * 140} y=${height - PAD.b - 11} font-size="11" fill="#111827">${s.label}</text></g>`,
        )}
    <//>`;
}

// rows: [{label, value, low, high, mark}]: a dot at each value with a
// whisker from low to high, and mark (a threshold) as a tick; ref: one
// value drawn as a dashed line across (the whole population's rate);
// extra: attributes for the figure (a report's data-chart).
export function WhiskerChart({
    rows,
    title,
    testid,
    refValue,
    refLabel,
    markLabel = 'threshold',
    valueLabel = 'value',
    extra,
}) {
    const rowH = 26;
    const left = 170;
    const height = PAD.t + rows.length * rowH + PAD.b;
    const max = Math.min(
        1,
        Math.max(
            0.05,
            ...rows.flatMap((r) => [r.high ?? 0, r.mark ?? 0, r.value ?? 0]),
            refValue ?? 0,
        ) * 1.1,
    );
    const x = (v) => left + (v / max) * (W - left - PAD.r);
    const yc = (i) => PAD.t + i * rowH + rowH / 2;
    const table = html`<table class="data"><caption class="sr-only">${title}</caption>
        <thead><tr><th scope="col"></th><th scope="col" class="n">${valueLabel}</th><th scope="col" class="n">95% interval</th>
        ${rows.some((r) => r.mark !== undefined) && html`<th scope="col" class="n">${markLabel}</th>`}</tr></thead>
        <tbody>${rows.map(
            (
                r,
            ) => html`<tr><th scope="row">${r.label}</th><td class="n">${pct(r.value)}</td>
            <td class="n">${pct(r.low)} – ${pct(r.high)}</td>
            ${r.mark !== undefined && html`<td class="n">${pct(r.mark)}</td>`}</tr>`,
        )}</tbody></table>`;
    const bottom = height - PAD.b;
    return html`<${Frame} title=${title} testid=${testid} height=${height} table=${table}
        extra=${{ 'data-max': max, ...extra }}>
        ${ticks(max, 5).map(
            (
                v,
            ) => html`<g class="tick"><line x1=${x(v)} x2=${x(v)} y1=${PAD.t} y2=${bottom} stroke="#e5e7eb" />
            <text x=${x(v)} y=${bottom + 14} text-anchor="middle" font-size="11" fill="#374151">${Math.round(v * 100)}%</text></g>`,
        )}
        ${rows.map(
            (r, i) => html`<g class="row" data-label=${r.label}>
            <text x=${left - 8} y=${yc(i) + 4} text-anchor="end" font-size="11" fill="#111827">${r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label}</text>
            ${
                r.low !== null &&
                r.low !== undefined &&
                html`<g class="whisker" data-low=${r.low} data-high=${r.high}>
                <line class="span" x1=${x(r.low)} x2=${x(r.high)} y1=${yc(i)} y2=${yc(i)} stroke="#111827" stroke-width="1.5" />
                <line x1=${x(r.low)} x2=${x(r.low)} y1=${yc(i) - 6} y2=${yc(i) + 6} stroke="#111827" stroke-width="1.5" />
                <line x1=${x(r.high)} x2=${x(r.high)} y1=${yc(i) - 6} y2=${yc(i) + 6} stroke="#111827" stroke-width="1.5" /></g>`
            }
            ${
                r.mark !== undefined &&
                r.mark !== null &&
                html`<line class="mark" x1=${x(r.mark)} x2=${x(r.mark)} y1=${yc(i) - 10} y2=${yc(i) + 10}
                stroke=${COLORS[1]} stroke-width="3" data-value=${r.mark} />`
            }
            <circle class="value" cx=${x(r.value ?? 0)} cy=${yc(i)} r="5" fill=${COLORS[0]} data-value=${r.value} /></g>`,
        )}
        ${
            refValue !== undefined &&
            refValue !== null &&
            html`<g class="ref"><line x1=${x(refValue)} x2=${x(refValue)} y1=${PAD.t} y2=${bottom}
            stroke=${COLORS[1]} stroke-dasharray="6 4" />
            <text x=${x(refValue) + 4} y=${bottom + 28} font-size="11" fill=${COLORS[1]}>${refLabel}</text></g>`
        }
    <//>`;
}

// labels: the periods; series: [{label, values}] with values in 0..yMax
// (shares when fmt is pct): one line per series, one point per period.
export function LineChart({
    labels,
    series,
    title,
    testid,
    yMax = 1,
    fmt = (v) => pct(v, 0),
    height = 200,
}) {
    const x = (i) =>
        PAD.l +
        (labels.length > 1
            ? (i / (labels.length - 1)) * (W - PAD.l - PAD.r - 140)
            : 0);
    const y = (v) => PAD.t + (1 - v / yMax) * (height - PAD.t - PAD.b);
    const table = html`<table class="data"><caption class="sr-only">${title}</caption>
        <thead><tr><th scope="col"></th>${labels.map((l) => html`<th scope="col" class="n">${l}</th>`)}</tr></thead>
        <tbody>${series.map(
            (s) =>
                html`<tr><th scope="row">${s.label}</th>${s.values.map(
                    (v) =>
                        html`<td class="n">${v === null || v === undefined ? '—' : fmt(v)}</td>`,
                )}</tr>`,
        )}</tbody></table>`;
    return html`<${Frame} title=${title} testid=${testid} height=${height} table=${table}>
        <${YAxis} y=${y} vals=${ticks(yMax, 4)} fmt=${fmt} x0=${PAD.l} x1=${W - PAD.r - 140} />
        ${labels.map(
            (l, i) =>
                html`<text x=${x(i)} y=${height - PAD.b + 14} text-anchor="middle" font-size="11" fill="#374151">${l}</text>`,
        )}
        ${series.map((s, k) => {
            const c = COLORS[k % COLORS.length];
            const pts = s.values
                .map((v, i) => [i, v])
                .filter(([, v]) => v !== null && v !== undefined);
            return html`<g class="series" data-label=${s.label}>
                <polyline fill="none" stroke=${c} stroke-width="2" points=${pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')} />
                ${pts.map(([i, v]) => html`<circle class="point" cx=${x(i)} cy=${y(v)} r="3" fill=${c} data-period=${labels[i]} data-value=${v} />`)}
                <rect x=${W - PAD.r - 130} y=${PAD.t + k * 16} width="10" height="10" fill=${c} />
                <text x=${W - PAD.r - 116} y=${PAD.t + 9 + k * 16} font-size="11" fill="#111827">${s.label.length > 20 ? `${s.label.slice(0, 19)}…` : s.label}</text></g>`;
        })}
    <//>`;
}

const dayNo = (s) => Date.parse(`${s}T00:00:00Z`) / 86400000;

// points: [{on: YYYY-MM-DD, value}] on a date axis to scale, values 0..yMax:
// one dot per reading, joined in order (readings of one day stack).
export function DatedChart({
    points,
    title,
    testid,
    yMax = 100,
    height = 180,
}) {
    const d0 = dayNo(points[0].on);
    const span = Math.max(1, dayNo(points[points.length - 1].on) - d0);
    const x = (on) => PAD.l + ((dayNo(on) - d0) / span) * (W - PAD.l - PAD.r);
    const y = (v) => PAD.t + (1 - v / yMax) * (height - PAD.t - PAD.b);
    const ends = [points[0].on, points[points.length - 1].on];
    return html`<${Frame} title=${title} testid=${testid} height=${height} table=${null}>
        <${YAxis} y=${y} vals=${ticks(yMax, 4)} fmt=${String} x0=${PAD.l} x1=${W - PAD.r} />
        ${[...new Set(ends)].map(
            (on, i) =>
                html`<text x=${x(on)} y=${height - PAD.b + 14} text-anchor=${i ? 'end' : 'start'} font-size="11" fill="#374151">${day(on)}</text>`,
        )}
        <polyline fill="none" stroke=${COLORS[0]} stroke-width="2" points=${points.map((p) => `${x(p.on)},${y(p.value)}`).join(' ')} />
        ${points.map((p) => html`<circle class="point" cx=${x(p.on)} cy=${y(p.value)} r="3.5" fill=${COLORS[0]} data-on=${p.on} data-value=${p.value} />`)}
    <//>`;
}
