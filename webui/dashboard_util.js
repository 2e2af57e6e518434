// Small helpers of the dashboard's modules: elements built from text only,
// numbers and times as an operator reads them.

export function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = String(text);
  return e;
}

/// 6.1, 0.5, 200, 0.9995: at most 4 significant decimals, no trailing zeros.
export function fmtNumber(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x ?? '');
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 4;
  return String(Number(x.toFixed(digits)));
}

export function fmtTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function fmtDate(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toLocaleString([], { hour12: false });
}
