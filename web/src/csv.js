// csv.js - a table the page shows, downloaded as a CSV file (issue 16):
// RFC 4180 quoting, and text a spreadsheet would run as a formula (=, +,
// -, @, a tab or a carriage return first) led by a ' as `closeloop export`
// and the reports' CSV do (docs/reports.md); numbers are never changed.

// One cell: a number as it is, null as empty, text quoted when it must be.
export function csvCell(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// head: the column names; rows: arrays of cells.
export const toCsv = (head, rows) =>
    [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

// Hands text to the browser as a download named name.  A data: URL, as
// the UI's Content-Security-Policy keeps a blob: one from downloading.
export function downloadCsv(name, text) {
    const a = document.createElement('a');
    a.href = `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
}
