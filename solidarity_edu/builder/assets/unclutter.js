// Labels a projector can read: on the slide being shown, a chart's text labels (event names, figures,
// camp names) that run into each other are moved, one at a time, at most a line up or down or to the
// other side of their mark, to the nearest free place inside the chart; a label with no free place nearby
// stays where Vega put it. Copies of one label drawn in several layers (a white outline
// under the text) move together. Axis, legend and title text is not touched (Vega lays those out).
// Runs once per chart, when its slide is first shown: a hidden slide has no layout to measure.
function seLabelBoxes(svg) {
  const groups = new Map();
  for (const t of svg.querySelectorAll('g.mark-text.role-mark text')) {
    if (!t.textContent.trim()) continue;
    const b = t.getBBox(), m = t.getCTM();
    if (!m || b.width === 0) continue;
    const box = {x: b.x + m.e, y: b.y + m.f, w: b.width, h: b.height};
    const key = t.textContent + '|' + Math.round(box.x) + '|' + Math.round(box.y);
    if (!groups.has(key)) groups.set(key, {box, texts: []});
    groups.get(key).texts.push(t);
  }
  return [...groups.values()];
}
function seOverlap(a, b) {
  const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return ox > 2 && oy > 0.3 * Math.min(a.h, b.h);
}
function seUnclutter(section) {
  if (!section) return;
  for (const svg of section.querySelectorAll('.se-chart svg')) {
    if (svg.dataset.uncluttered === 'true') continue;
    const labels = seLabelBoxes(svg);
    if (!labels.length) continue;
    const frame = svg.getBBox();
    const placed = [];
    for (const label of labels) {
      const {box} = label;
      // Half a line or a line up or down, then the same on the other side of the mark: never further,
      // so a label stays next to what it names (a camp's name must not drift to another state).
      const lines = [0, -0.5, 0.5, -1, 1].map(n => n * box.h * 0.85);
      const candidates = [...lines.map(dy => [0, dy]), ...lines.map(dy => [-(box.w + 24), dy])];
      let shift = [0, 0];
      for (const [dx, dy] of candidates) {
        const moved = {...box, x: box.x + dx, y: box.y + dy};
        const inside = moved.y >= frame.y - 1 && moved.y + moved.h <= frame.y + frame.height + 1
          && moved.x >= frame.x - 1 && moved.x + moved.w <= frame.x + frame.width + 1;
        if (inside && !placed.some(p => seOverlap(p, moved))) { shift = [dx, dy]; break; }
      }
      if (shift[0] || shift[1]) {
        for (const t of label.texts) {
          const by = `translate(${shift[0].toFixed(1)},${shift[1].toFixed(1)})`;
          t.setAttribute('transform', (t.getAttribute('transform') || '') + ' ' + by);
        }
      }
      placed.push({...box, x: box.x + shift[0], y: box.y + shift[1]});
    }
    svg.dataset.uncluttered = 'true';
  }
}
