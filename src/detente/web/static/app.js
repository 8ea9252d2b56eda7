/* The dashboard: dyad or actor picker, series chart, signals ladder, incident table, article view, paste box.
   Text from the store is only ever put in the page as text nodes (textContent), never as HTML. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let nextPage = null; // function that loads the next page of the table, or null

  /* A list response's `next` (the full URL of its next page, or null) as a path on this page's own origin:
     the server builds it from the Host it was asked on, which behind a proxy need not be the browser's. */
  function here(url) {
    const u = new URL(url, window.location.href);
    return u.pathname + u.search;
  }

  function status(text, isError) {
    $("status").textContent = text || "";
    $("status").classList.toggle("error", !!isError);
  }

  async function getJSON(url, options) {
    const res = await fetch(url, options);
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = body.error || {};
      throw new Error(`${e.code || res.status}: ${e.message || res.statusText}`);
    }
    return body;
  }

  function node(tag, text, cls) {
    const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }

  function who(actors) {
    return (actors || []).map((a) => `${a.name} [${a.country || "?"}]`).join("; ") || "—";
  }

  function when(d) {
    if (!d || !d.start) return "undated";
    if (d.precision === "year") return d.start.slice(0, 4);
    if (d.precision === "month") return d.start.slice(0, 7);
    return d.start === d.end || !d.end ? d.start : `${d.start} … ${d.end}`;
  }

  function badge(certainty) {
    return node("span", certainty, `badge cert-${certainty}`);
  }

  /* One table row; `target` says what to highlight when it is clicked. */
  function row(cells, target) {
    const tr = document.createElement("tr");
    tr.className = "event-row";
    tr.tabIndex = 0;
    for (const c of cells) {
      const td = document.createElement("td");
      if (c instanceof Node) td.appendChild(c);
      else td.textContent = c;
      tr.appendChild(td);
    }
    const open = () => {
      document.querySelectorAll("tr.event-row.selected").forEach((r) => r.classList.remove("selected"));
      tr.classList.add("selected");
      showArticle(target.article, target);
    };
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    return tr;
  }

  function incidentRow(inc) {
    const actors = `${who(inc.source)} → ${who(inc.target)}`;
    const n = inc.accounts.length;
    // the other stances reports take (one outlet asserts, the government denies): kept, not averaged away
    const others = Object.entries(inc.certainties || {}).filter(([k]) => k !== inc.certainty).map(([k, v]) => `${v} ${k}`);
    const sources = `${inc.independent_sources} (${n} account${n === 1 ? "" : "s"})${others.length ? " · " + others.join(", ") : ""}`;
    return row([when(inc.date), inc.plover_type, actors, badge(inc.certainty), sources, inc.evidence.text], {
      article: inc.article_id,
      evidence: inc.evidence,
      actors: [...inc.source, ...inc.target, ...(inc.intermediary || [])],
    });
  }

  function eventRow(ev) {
    const actors = `${who(ev.source)} → ${who(ev.target)}`;
    return row([when(ev.date), ev.plover.type, actors, badge(ev.certainty), ev.article.source || "—", ev.evidence.text], {
      article: ev.article.id,
      evidence: ev.evidence,
      trigger: ev.trigger,
      actors: [...ev.source, ...ev.target, ...(ev.intermediary || [])],
    });
  }

  /* Cut text at the boundaries of the marks; each piece gets the classes of the marks covering it. */
  function pieces(text, marks) {
    const cuts = new Set([0, text.length]);
    for (const m of marks) { cuts.add(Math.max(0, Math.min(m.start, text.length))); cuts.add(Math.max(0, Math.min(m.end, text.length))); }
    const edges = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const lo = edges[i], hi = edges[i + 1];
      if (lo === hi) continue;
      const cls = marks.filter((m) => m.start <= lo && hi <= m.end).map((m) => m.cls);
      out.push([text.slice(lo, hi), [...new Set(cls)].join(" ")]);
    }
    return out;
  }

  async function showArticle(id, target) {
    let art;
    try {
      art = await getJSON(`/api/articles/${encodeURIComponent(id)}`);
    } catch (e) {
      status(`Could not load the article: ${e.message}`, true);
      return;
    }
    const marks = [];
    if (target && target.evidence) marks.push({ start: target.evidence.start, end: target.evidence.end, cls: "evidence" });
    if (target && target.trigger) marks.push({ start: target.trigger.start, end: target.trigger.end, cls: "trigger" });
    for (const a of (target && target.actors) || []) marks.push({ start: a.start, end: a.end, cls: "actor" });
    const box = $("article-text");
    box.replaceChildren();
    for (const [text, cls] of pieces(art.text, marks)) {
      if (cls) box.appendChild(node(cls.includes("evidence") ? "mark" : "span", text, cls));
      else box.appendChild(document.createTextNode(text));
    }
    $("article-title").textContent = art.title || art.id;
    const meta = $("article-meta");
    meta.replaceChildren(node("span", `${art.published || "undated"} · ${art.source || ""} · ${art.events.length} event(s) · `));
    const link = node("a", "open as a page");
    link.href = `/articles/${encodeURIComponent(art.id)}`;
    meta.appendChild(link);
    $("article-panel").hidden = false;
    const first = box.querySelector("mark.evidence");
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  }

  function ladder(rungs) {
    const ol = $("ladder");
    ol.replaceChildren();
    const max = Math.max(1, ...rungs.map((r) => r.count));
    for (const r of rungs) {
      const li = node("li", null, r.count ? "rung seen" : "rung");
      li.appendChild(node("span", r.label, "rung-label"));
      const bar = node("span", null, "rung-bar");
      bar.style.width = `${Math.round((100 * r.count) / max)}%`;
      li.appendChild(bar);
      const span = r.count ? `${r.count} · ${r.first_seen || "?"} … ${r.last_seen || "?"}` : "not seen";
      li.appendChild(node("span", span, "rung-count"));
      if (r.latest_evidence) li.title = r.latest_evidence;
      ol.appendChild(li);
    }
  }

  async function showDyad(a, b) {
    a = a.toUpperCase(); b = b.toUpperCase();
    status(`Loading ${a}–${b}…`);
    const base = `/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
    try {
      const [series, signals, timeline] = await Promise.all([
        getJSON(`${base}/series`), getJSON(`${base}/signals`), getJSON(`${base}/timeline?limit=200`),
      ]);
      $("chart-title").textContent = `${a}–${b} by month (${series.undated} undated)`;
      window.DetenteChart.draw($("chart"), series.points, series.changes);
      ladder(signals.rungs);
      let shown = 0;
      const add = (page) => {
        shown += page.incidents.length;
        $("rows").append(...page.incidents.map(incidentRow));
        $("table-title").textContent = `Incidents ${a}–${b} (${shown}${page.next ? "+" : ""})`;
        nextPage = page.next ? async () => add(await getJSON(here(page.next))) : null;
        $("more").hidden = !nextPage;
      };
      $("rows").replaceChildren();
      add(timeline);
      status(`${shown} incident(s)${nextPage ? " so far" : ""}; click one to read its sentence in the article.`);
    } catch (e) {
      status(e.message, true);
    }
  }

  async function showActor(actor) {
    const isCountry = /^[A-Za-z]{3}$/.test(actor);
    const param = isCountry ? `country=${encodeURIComponent(actor.toUpperCase())}` : `actor=${encodeURIComponent(actor)}`;
    status(`Loading ${actor}…`);
    const all = [];
    $("rows").replaceChildren();
    const load = async (url) => {
      const page = await getJSON(url);
      all.push(...page.events);
      $("rows").append(...page.events.map(eventRow));
      nextPage = page.next ? () => load(here(page.next)) : null;
      $("more").hidden = !nextPage;
      window.DetenteChart.draw($("chart"), window.DetenteChart.monthly(all), []);
      $("table-title").textContent = `Events of ${actor} (${all.length}${page.next ? "+" : ""})`;
    };
    try {
      $("chart-title").textContent = `${actor} by month`;
      $("ladder").replaceChildren(node("li", "The ladder is for dyads: pick two sides.", "hint"));
      await load(`/api/events?${param}&limit=200`);
      status(`${all.length} event(s) loaded; click one to read its sentence in the article.`);
    } catch (e) {
      status(e.message, true);
    }
  }

  async function paste(ev) {
    ev.preventDefault();
    const body = { text: $("paste-text").value };
    if ($("paste-published").value) body.published = $("paste-published").value;
    if ($("paste-title").value) body.title = $("paste-title").value;
    const headers = { "Content-Type": "application/json" };
    if ($("paste-key") && $("paste-key").value) headers["X-API-Key"] = $("paste-key").value;
    const out = $("paste-result");
    out.replaceChildren(node("p", "Coding…", "hint"));
    try {
      const res = await getJSON("/api/articles", { method: "POST", headers, body: JSON.stringify(body) });
      out.replaceChildren();
      for (const r of res.results) {
        out.appendChild(node("p", `${r.stored ? "Stored" : "Already stored"}: ${r.events.length} event(s).`));
        const table = node("table", null, "events");
        const tb = document.createElement("tbody");
        tb.append(...r.events.map(eventRow));
        table.appendChild(tb);
        out.appendChild(table);
        if (r.events.length) showArticle(r.article.id, { evidence: r.events[0].evidence, trigger: r.events[0].trigger, actors: [...r.events[0].source, ...r.events[0].target] });
      }
    } catch (e) {
      out.replaceChildren(node("p", e.message, "error"));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("dyad-select").addEventListener("change", () => {
      const v = $("dyad-select").value;
      if (!v) return;
      const [a, b] = v.split(":");
      $("side-a").value = a; $("side-b").value = b;
      showDyad(a, b);
    });
    $("dyad-form").addEventListener("submit", (e) => {
      e.preventDefault();
      if ($("side-a").value && $("side-b").value) showDyad($("side-a").value, $("side-b").value);
      else status("Give both sides of the dyad, e.g. PAK and ISR.", true);
    });
    $("show-actor").addEventListener("click", () => {
      if ($("actor").value.trim()) showActor($("actor").value.trim());
    });
    $("more").addEventListener("click", () => { if (nextPage) nextPage().catch((e) => status(e.message, true)); });
    $("paste-form").addEventListener("submit", paste);
  });
})();
