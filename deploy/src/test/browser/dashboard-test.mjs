// Loads the dashboard in headless Debian Chromium (playwright-core, no downloaded browser), checks
// that every region of /api/regions is shown with the API's numbers, and saves a screenshot.
// Usage: node dashboard-test.mjs BASE_URL SCREENSHOT.png   (prints a JSON report; exit 1 on failure)
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, screenshot] = process.argv.slice(2);
const fmt = (v, d) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
const failures = [];

const api = await (await fetch(new URL("/api/regions", base))).json();
// a fresh profile per run, removed afterwards
const profile = mkdtempSync(join(tmpdir(), "gh-chrome-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1400, height: 900 },
});
let shown = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(base, { waitUntil: "load" });
  await page.waitForFunction(
      n => document.querySelectorAll("[data-region]").length >= n && document.getElementById("status").dataset.state === "ok",
      api.regions.length, { timeout: 30000 });
  shown = await page.$$eval("[data-region]", cards => cards.map(c => {
    const f = {};
    for (const e of c.querySelectorAll("[data-field]")) f[e.dataset.field] = e.textContent;
    return { region: c.dataset.region, ...f };
  }));
  for (const r of api.regions) {
    const s = shown.find(x => x.region === r.region);
    if (!s) { failures.push("region " + r.region + " not shown"); continue; }
    const expect = {
      load_mw: fmt(r.load_mw, 1), generation_mw: fmt(r.generation_mw, 1), balance_mw: fmt(r.balance_mw, 1),
      avg_frequency_hz: fmt(r.avg_frequency_hz, 3), frequency_stability_pct: fmt(r.frequency_stability_pct, 1),
      active_alarm_count: String(r.active_alarm_count || 0),
    };
    for (const [k, v] of Object.entries(expect)) {
      if (s[k] !== v) failures.push(`${r.region}.${k}: page ${s[k]} != api ${v}`);
    }
  }
  const trends = await page.$$eval("svg.trend polyline", ps => ps.length);
  if (trends < api.regions.length) failures.push("trend lines: " + trends);
  failures.push(...errors.map(e => "page error: " + e));
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ regions: api.regions.length, shown, failures }));
process.exit(failures.length === 0 ? 0 : 1);
