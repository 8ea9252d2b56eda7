/* detente's own small SVG charts: QuadClass bars stacked per period, a Goldstein line, change points. */
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const QUAD = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function title(node, text) {
    const t = el("title", {}, node);
    t.textContent = text;
  }

  /* points: [{period, quad1..quad4, goldstein_mean}], changes: [{period, z, direction}] */
  function draw(container, points, changes) {
    container.replaceChildren();
    if (!points.length) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = "No dated events for this selection.";
      container.appendChild(p);
      return null;
    }
    const W = 900, H = 300, L = 40, R = 40, T = 14, B = 54;
    const w = W - L - R, h = H - T - B;
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "series", role: "img", "aria-label": "event series" });
    const totals = points.map((p) => p.quad1 + p.quad2 + p.quad3 + p.quad4);
    const ymax = Math.max(1, ...totals);
    const bw = w / points.length;
    for (let k = 0; k <= 4; k++) {
      const y = T + h - (h * k) / 4;
      el("line", { x1: L, x2: L + w, y1: y, y2: y, class: "grid" }, svg);
      const t = el("text", { x: L - 6, y: y + 4, "text-anchor": "end", class: "axis" }, svg);
      t.textContent = String(Math.round((ymax * k) / 4 * 10) / 10);
      const g = el("text", { x: L + w + 6, y: y + 4, class: "axis gold" }, svg);
      g.textContent = String(-10 + 5 * k);
    }
    const step = Math.max(1, Math.ceil(points.length / 14));
    const marks = new Map((changes || []).map((c) => [c.period, c]));
    const line = [];
    const runs = [];
    points.forEach((p, i) => {
      const x = L + i * bw;
      let y = T + h;
      [p.quad1, p.quad2, p.quad3, p.quad4].forEach((n, q) => {
        if (!n) return;
        const bh = (h * n) / ymax;
        y -= bh;
        const r = el("rect", { x: x + 1, y: y, width: Math.max(bw - 2, 1), height: bh, class: `bar q${q + 1}` }, svg);
        title(r, `${p.period}: ${n} ${QUAD[q]}`);
      });
      if (p.goldstein_mean !== null && p.goldstein_mean !== undefined) {
        const gx = x + bw / 2, gy = T + h - (h * (p.goldstein_mean + 10)) / 20;
        line.push(`${gx.toFixed(1)},${gy.toFixed(1)}`);
        title(el("circle", { cx: gx, cy: gy, r: 3, class: "goldstein-dot" }, svg), `${p.period}: Goldstein mean ${p.goldstein_mean}`);
      } else if (line.length) {
        runs.push(line.splice(0));
      }
      const c = marks.get(p.period);
      if (c) {
        const cx = x + bw / 2;
        el("line", { x1: cx, x2: cx, y1: T, y2: T + h, class: "change" }, svg);
        const m = el("path", { d: `M${cx - 6},${T} L${cx + 6},${T} L${cx},${T + 9} Z`, class: "change-mark" }, svg);
        title(m, `${p.period}: change point (${c.direction}, z = ${c.z})`);
      }
      if (i % step === 0) {
        const lx = x + bw / 2, ly = T + h + 14;
        const t = el("text", { x: lx, y: ly, "text-anchor": "end", class: "axis", transform: `rotate(-40 ${lx} ${ly})` }, svg);
        t.textContent = p.period;
      }
    });
    runs.push(line);
    for (const run of runs.filter((r) => r.length > 1)) {
      el("polyline", { points: run.join(" "), class: "goldstein" }, svg); // broken where a month has no events
    }
    el("line", { x1: L, x2: L + w, y1: T + h, y2: T + h, class: "base" }, svg);
    container.appendChild(svg);
    return svg;
  }

  /* Event records to monthly points (for an actor, which has no dyad series). */
  function monthly(records) {
    const by = new Map();
    for (const r of records) {
      const start = r.date && r.date.start;
      if (!start) continue;
      const period = start.slice(0, 7);
      if (!by.has(period)) by.set(period, { period, quad1: 0, quad2: 0, quad3: 0, quad4: 0, g: 0, n: 0 });
      const p = by.get(period);
      p["quad" + r.quad_class] += 1;
      p.g += r.goldstein;
      p.n += 1;
    }
    const periods = [...by.keys()].sort();
    if (!periods.length) return [];
    const out = [];
    let [y, m] = periods[0].split("-").map(Number);
    const last = periods[periods.length - 1];
    for (;;) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      const p = by.get(key) || { period: key, quad1: 0, quad2: 0, quad3: 0, quad4: 0, g: 0, n: 0 };
      out.push({ ...p, goldstein_mean: p.n ? p.g / p.n : null });
      if (key >= last || out.length > 1200) break;
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  window.DetenteChart = { draw, monthly };
})();
