// shared.js - pieces more than one report's dashboard draws: a key
// figure and the evidence of a difference in words.
import { html } from '../../ui.js';

export function Kpi({ label: l, value, testid }) {
    return html`<div class="kpi"><div class="kpi-v" data-testid=${testid}>${value}</div><div class="kpi-l">${l}</div></div>`;
}

// The evidence of a difference in words, its number on hover: a pattern's
// q-value (Benjamini-Hochberg), a segment's log-rank p-value.
export function evidence(v, name = 'q') {
    const words =
        v < 0.01
            ? 'strong evidence'
            : v < 0.05
              ? 'some evidence'
              : 'no evidence';
    return html`<span title=${`${name} = ${Number(v).toPrecision(2)}`}>${words}</span>`;
}
