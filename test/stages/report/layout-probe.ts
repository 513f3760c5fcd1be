/**
 * Layout checks that run inside the browser page (page.evaluate) on a rendered report.html.
 *
 * Kept as JavaScript source text rather than a TypeScript function: the project compiles without
 * the DOM library, and a transpiled function could carry bundler helpers the page does not have.
 * The expression evaluates to an array of problems, each a readable sentence (empty = clean).
 *
 * What it checks, with TOLERANCE px of slack for sub-pixel rounding:
 * - every SVG <text> lies inside its <svg>'s box (nothing clipped by the viewport of the chart);
 * - within each SVG, no two labels overlap, where a label is a <text> or a whole map badge
 *   (g.badge: its circle and number count as one), and no label covers a data point (a <circle>
 *   outside a badge);
 * - every label shortened with "…" has a <title> (on itself or a parent group) holding the full text;
 * - every card-like box (.card, .tile, .callout, .rule, small-multiple figures) has no horizontal
 *   overflow and holds every rendered descendant inside its box, except content inside a
 *   scrolling container (wide tables scroll on purpose);
 * - the page itself never scrolls sideways.
 * All <details> are opened first so their content is checked too.
 */
export const TOLERANCE = 1;

export const LAYOUT_PROBE = String.raw`(() => {
  const TOL = ${TOLERANCE};
  const problems = [];
  const r1 = (v) => Math.round(v * 10) / 10;
  const box = (r) => '[' + r1(r.left) + ',' + r1(r.top) + ' ' + r1(r.width) + 'x' + r1(r.height) + ']';
  const inside = (a, b) => a.left >= b.left - TOL && a.top >= b.top - TOL && a.right <= b.right + TOL && a.bottom <= b.bottom + TOL;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > TOL && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > TOL;
  const visible = (r) => r.width > 0 && r.height > 0;
  // The text a reader sees: <title> children are tooltips, not drawn.
  const shown = (t) => Array.from(t.childNodes).filter((n) => n.nodeName.toLowerCase() !== 'title').map((n) => n.textContent).join('');
  const clip = (s) => (s.length > 40 ? s.slice(0, 39) + '…' : s);

  for (const d of document.querySelectorAll('details')) d.open = true;

  const svgs = Array.from(document.querySelectorAll('svg'));
  svgs.forEach((svg, i) => {
    const name = 'svg #' + i + ' "' + clip(svg.getAttribute('aria-label') || '') + '"';
    const sb = svg.getBoundingClientRect();
    if (!visible(sb)) return;
    const labels = [];
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!visible(r)) continue;
      const what = 'text "' + clip(shown(t)) + '"';
      if (!inside(r, sb)) problems.push(name + ': ' + what + ' ' + box(r) + ' outside the chart ' + box(sb));
      if (!t.closest('g.badge')) labels.push({ what, r });
      const s = shown(t);
      if (s.endsWith('…')) {
        const titles = [];
        for (let n = t; n && n !== svg; n = n.parentElement) {
          for (const c of n.children) if (c.tagName.toLowerCase() === 'title') titles.push(c.textContent);
        }
        const prefix = s.slice(0, -1);
        if (!titles.some((x) => x.includes(prefix) && x.length > prefix.length)) problems.push(name + ': ' + what + ' is shortened but no <title> holds its full text');
      }
    }
    for (const g of svg.querySelectorAll('g.badge')) {
      const r = g.getBoundingClientRect();
      if (visible(r)) labels.push({ what: 'badge "' + clip(shown(g.querySelector('text') || g)) + '"', r });
    }
    for (let a = 0; a < labels.length; a++) {
      for (let b = a + 1; b < labels.length; b++) {
        if (overlap(labels[a].r, labels[b].r)) problems.push(name + ': ' + labels[a].what + ' ' + box(labels[a].r) + ' overlaps ' + labels[b].what + ' ' + box(labels[b].r));
      }
    }
    const points = Array.from(svg.querySelectorAll('circle')).filter((c) => !c.closest('g.badge'));
    for (const l of labels) {
      for (const p of points) {
        const r = p.getBoundingClientRect();
        if (visible(r) && overlap(l.r, r)) problems.push(name + ': ' + l.what + ' ' + box(l.r) + ' covers a point ' + box(r));
      }
    }
  });

  const scrolls = (el) => {
    const s = getComputedStyle(el);
    return s.overflowX !== 'visible' && s.overflowX !== 'clip';
  };
  const cards = Array.from(document.querySelectorAll('.card, .tile, .callout, .rule, .small-multiples figure'));
  for (const card of cards) {
    const heading = card.querySelector('h3, h4, .label');
    const name = (card.id ? '#' + card.id : card.className ? '.' + card.className.split(' ')[0] : card.tagName.toLowerCase()) +
      (heading ? ' "' + clip(heading.textContent.trim()) + '"' : '');
    const cb = card.getBoundingClientRect();
    if (!visible(cb)) continue;
    if (card.scrollWidth > card.clientWidth + TOL) problems.push(name + ': content ' + card.scrollWidth + 'px wide in a ' + card.clientWidth + 'px card');
    for (const el of card.querySelectorAll('*')) {
      let scrolled = false;
      for (let n = el.parentElement; n && n !== card; n = n.parentElement) if (scrolls(n)) scrolled = true;
      if (scrolled) continue;
      const r = el.getBoundingClientRect();
      if (!visible(r) || getComputedStyle(el).position === 'absolute') continue;
      if (!inside(r, cb)) problems.push(name + ': <' + el.tagName.toLowerCase() + '> "' + clip(el.textContent.trim()) + '" ' + box(r) + ' outside the card ' + box(cb));
    }
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + TOL) problems.push('the page scrolls sideways: ' + root.scrollWidth + 'px wide in a ' + root.clientWidth + 'px window');
  return problems;
})()`;
