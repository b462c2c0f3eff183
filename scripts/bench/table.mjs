/** A Markdown table with padded columns (numbers right-aligned). */
export function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-+]?[\d.]+( ?(ms|s|%|dB))?$/.test(String(r[i])) || r[i] === '—'));
  const cell = (v, i) => (numeric[i] ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]));
  const lines = ['| ' + header.map((h, i) => cell(h, i)).join(' | ') + ' |'];
  lines.push('|' + widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|');
  for (const r of rows) lines.push('| ' + r.map((v, i) => cell(v, i)).join(' | ') + ' |');
  return lines.join('\n');
}

export function mean(xs) {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}
