// chart.js - one Chart.js component.  The figure carries the numbers it
// draws (data-chart) and a table beside it carries them as text, so a
// screen reader, a test and a person all read the same figures.
import { useEffect, useRef } from 'preact/hooks';
import {
    BarController,
    BarElement,
    CategoryScale,
    Chart,
    Filler,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
} from 'chart.js';
import { html } from './ui.js';

Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    Filler,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
);

export const COLORS = [
    '#2563eb',
    '#dc2626',
    '#16a34a',
    '#d97706',
    '#7c3aed',
    '#0891b2',
    '#db2777',
    '#65a30d',
];

// config: a Chart.js config; title: the accessible name; values: the
// figures to expose (default: every dataset's data).
export function ChartFigure({ config, title, values, height = 260, testid }) {
    const canvas = useRef(null);
    useEffect(() => {
        const chart = new Chart(canvas.current, {
            ...config,
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                ...config.options,
            },
        });
        return () => chart.destroy();
    }, [JSON.stringify(config.data)]);
    const exposed =
        values ??
        Object.fromEntries(config.data.datasets.map((d) => [d.label, d.data]));
    return html`<figure class="chart" data-testid=${testid}
        data-chart=${JSON.stringify({ labels: config.data.labels, values: exposed })}>
        <div class="chart-box" style=${`height:${height}px`}>
            <canvas ref=${canvas} role="img" aria-label=${title}></canvas>
        </div>
        <figcaption>${title}</figcaption>
    </figure>`;
}

export const pctAxis = (max) => ({
    beginAtZero: true,
    max,
    ticks: { callback: (v) => `${Math.round(v * 100)}%` },
});
