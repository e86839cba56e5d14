// The Gridhouse dashboard: polls the query API every few seconds and redraws.
"use strict";

const REFRESH_MS = 3000;
const fmt = (v, digits = 1) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

/** A polyline of the values scaled into a width × height box. */
function line(values, lo, hi, cls) {
  const w = 200, h = 40;
  const span = hi - lo || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const pts = values.map((v, i) => (i * step).toFixed(1) + "," + (h - ((v - lo) / span) * h).toFixed(1));
  const p = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  p.setAttribute("points", pts.join(" "));
  p.setAttribute("class", cls);
  return p;
}

function trendChart(minutes) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "trend");
  svg.setAttribute("viewBox", "0 0 200 40");
  svg.setAttribute("preserveAspectRatio", "none");
  if (minutes && minutes.length > 0) {
    const load = minutes.map(m => m.load_mw), gen = minutes.map(m => m.generation_mw);
    const all = load.concat(gen);
    const lo = Math.min(...all), hi = Math.max(...all);
    svg.appendChild(line(load, lo, hi, "load"));
    svg.appendChild(line(gen, lo, hi, "gen"));
  }
  return svg;
}

function renderRegions(regions, trends) {
  const root = document.getElementById("regions");
  root.replaceChildren();
  for (const r of regions) {
    const card = el("article", { class: "region", "data-region": r.region });
    const h = el("h3", {}, r.region);
    const n = r.active_alarm_count || 0;
    h.appendChild(el("span", { class: "alarms" + (n > 0 ? " on" : ""), "data-field": "active_alarm_count" }, String(n)));
    card.appendChild(h);
    const dl = el("dl", { class: "metrics" });
    const metric = (label, field, value, cls) => {
      dl.appendChild(el("dt", {}, label));
      dl.appendChild(el("dd", { "data-field": field, class: cls || "" }, value));
    };
    metric("Load MW", "load_mw", fmt(r.load_mw));
    metric("Generation MW", "generation_mw", fmt(r.generation_mw));
    metric("Balance MW", "balance_mw", fmt(r.balance_mw), r.balance_mw < 0 ? "neg" : "pos");
    metric("Frequency Hz", "avg_frequency_hz", fmt(r.avg_frequency_hz, 3));
    metric("Stability %", "frequency_stability_pct", fmt(r.frequency_stability_pct));
    metric("Minute (UTC)", "window_start", (r.window_start || "").substring(11, 16));
    card.appendChild(dl);
    card.appendChild(trendChart(trends[r.region]));
    root.appendChild(card);
  }
}

function renderAlarms(data) {
  document.getElementById("alarm-total").textContent = "(" + data.total + ")";
  const body = document.querySelector("#alarms tbody");
  body.replaceChildren();
  for (const a of data.alarms) {
    const tr = el("tr", { "data-alarm": a.alarm_id });
    tr.appendChild(el("td", { class: "sev-" + a.severity }, a.severity));
    tr.appendChild(el("td", {}, a.alarm_type));
    tr.appendChild(el("td", {}, a.device_id));
    tr.appendChild(el("td", {}, a.region));
    tr.appendChild(el("td", {}, fmt(a.value, 2)));
    tr.appendChild(el("td", {}, (a.raised_at || "").substring(11, 19)));
    body.appendChild(tr);
  }
}

function renderDecisions(data) {
  document.getElementById("decision-total").textContent = "(" + data.total + ")";
  const body = document.querySelector("#decisions tbody");
  body.replaceChildren();
  for (const d of data.decisions) {
    let transfers = [];
    try { transfers = JSON.parse(d.transfers || "[]"); } catch (e) { /* shown as empty */ }
    const tr = el("tr", { "data-decision": d.decision_id });
    tr.appendChild(el("td", {}, d.substation_id));
    tr.appendChild(el("td", {}, d.alarm_type));
    tr.appendChild(el("td", {}, fmt(d.required_mw)));
    tr.appendChild(el("td", {}, transfers.map(t => t.to_substation_id + " " + fmt(t.mw)).join(", ") || "–"));
    tr.appendChild(el("td", {}, fmt(d.unserved_mw)));
    tr.appendChild(el("td", { "data-field": "decision_latency_ms" }, d.decision_latency_ms + " ms"));
    body.appendChild(tr);
  }
}

async function refresh() {
  const status = document.getElementById("status");
  try {
    const [regions, trends, alarms, decisions] = await Promise.all([
      getJson("/api/regions"), getJson("/api/trends?minutes=30"),
      getJson("/api/alarms?status=ACTIVE&limit=50"), getJson("/api/decisions?limit=20")]);
    renderRegions(regions.regions, trends.regions);
    renderAlarms(alarms);
    renderDecisions(decisions);
    status.dataset.state = "ok";
    status.textContent = regions.regions.length + " regions · updated " + new Date().toISOString().substring(11, 19) + " UTC";
  } catch (e) {
    status.dataset.state = "error";
    status.textContent = "API error: " + e.message;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
