"""Charts of a dyad series: a self-contained offline HTML page (inline SVG, no script, no CDN) or a PNG."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..errors import DetenteError
from .dyads import Series

QUAD_COLOURS = ("#4c9f70", "#2b6f9e", "#e0a030", "#c8413b")
QUAD_NAMES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")


def svg(s: Series, width: int = 900, height: int = 320) -> str:
    """Stacked bars of incidents per QuadClass per period, with the certainty-weighted count as a line."""
    pts = s.points
    left, right, top, bottom = 44, 12, 16, 48
    w, h = width - left - right, height - top - bottom
    ymax = max([p.incidents for p in pts] + [1])
    n = max(len(pts), 1)
    bw = w / n
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
    ]
    for k in range(5):
        v = ymax * k / 4
        y = top + h - h * k / 4
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    step = max(1, n // 12)
    line = []
    for i, p in enumerate(pts):
        x = left + i * bw
        y = top + h
        for q, count in enumerate(p.quad):
            if count:
                bh = h * count / ymax
                y -= bh
                out.append(
                    f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{bh:.1f}" '
                    f'fill="{QUAD_COLOURS[q]}"><title>{escape(p.period)}: {count} {QUAD_NAMES[q]}</title></rect>'
                )
        line.append(f"{x + bw / 2:.1f},{top + h - h * p.weighted / ymax:.1f}")
        if i % step == 0:
            out.append(
                f'<text x="{x + bw / 2:.1f}" y="{top + h + 14}" text-anchor="end" '
                f'transform="rotate(-40 {x + bw / 2:.1f} {top + h + 14})">{escape(p.period)}</text>'
            )
    if len(line) > 1:
        out.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#222" stroke-width="1.5"/>')
    out.append(f'<line x1="{left}" x2="{left + w}" y1="{top + h}" y2="{top + h}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out)


def html(s: Series) -> str:
    a, b = s.dyad
    title = f"detente: {a} {'→' if s.directed else '↔'} {b} by {s.by}"
    legend = " ".join(
        f'<span style="display:inline-block;width:10px;height:10px;background:{c}"></span> {n}'
        for c, n in zip(QUAD_COLOURS, QUAD_NAMES, strict=True)
    )
    rows = "\n".join(
        f"<tr><td>{escape(p.period)}</td><td>{p.incidents}</td><td>{p.weighted:g}</td>"
        f"<td>{' / '.join(map(str, p.quad))}</td><td>{p.goldstein_sum:g}</td><td>{p.coverage}</td></tr>"
        for p in s.points
        if p.incidents
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}</style></head>
<body><h1>{escape(title)}</h1>
<p>Incidents per {s.by} by {"event date" if s.basis == "event" else "first report"}, stacked by QuadClass; the
line is the certainty-weighted count. {s.undated} undated incident(s) not shown; {s.coverage} article(s) mention
both sides.</p>
<p>{legend} &nbsp; <span style="display:inline-block;width:14px;border-top:2px solid #222"></span> weighted</p>
{svg(s)}
<table><tr><th>period</th><th>incidents</th><th>weighted</th><th>quad 1/2/3/4</th><th>Goldstein</th>
<th>coverage</th></tr>
{rows}
</table></body></html>
"""


def write(s: Series, path: str | Path) -> Path:
    """Write the chart to FILE.html (always available) or FILE.png (needs matplotlib)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".html", ".htm"):
        p.write_text(html(s), encoding="utf-8")
        return p
    if suffix == ".svg":
        p.write_text(svg(s), encoding="utf-8")
        return p
    if suffix != ".png":
        raise DetenteError(f"cannot plot to {p.name}: use a file name ending in .html, .svg or .png")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DetenteError(
            "PNG charts need matplotlib: pip install 'detente[plot]', or write an offline chart with --plot FILE.html"
        ) from None
    fig, ax = plt.subplots(figsize=(10, 3.5))
    xs = range(len(s.points))
    bottom = [0.0] * len(s.points)
    for q in range(4):
        ys = [float(pt.quad[q]) for pt in s.points]
        ax.bar(xs, ys, bottom=bottom, color=QUAD_COLOURS[q], label=QUAD_NAMES[q])
        bottom = [b + y for b, y in zip(bottom, ys, strict=True)]
    ax.plot(list(xs), [pt.weighted for pt in s.points], color="#222", label="weighted")
    step = max(1, len(s.points) // 12)
    ax.set_xticks(list(xs)[::step], [pt.period for pt in s.points][::step], rotation=40, ha="right")
    ax.set_title(f"{s.dyad[0]}–{s.dyad[1]} by {s.by}")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(p, dpi=120)
    plt.close(fig)
    return p
