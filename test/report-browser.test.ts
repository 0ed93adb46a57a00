// Opens generated reports in real headless Chromium (Debian's package, driven by playwright-core) and checks what a
// reader sees: the verdict table, every chart image decoded, no console errors, no network, and for the failed
// fixture the failure banner inside the first screenful. Screenshots land in test-output/ for a human look.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import type { RunSummary } from "../harness/results/types.ts";
import { METRICS, writeReport } from "../reporter/index.ts";
import { copyFixture, FIXTURES, TEST_OUTPUT } from "./fixtures/index.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VIEWPORT = { width: 1366, height: 900 };
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** By the rules of the report: a run must be flagged untrustworthy when any of these holds (a broken threshold
 * is a finding about the app, shown in its own banner). */
function expectsFailure(s: RunSummary): boolean {
  return s.skipped.length > 0 || s.results.some((r) => r.audit.valid !== true || !r.driverHealth.keptSchedule);
}

/** Charts every scenario with time series must have (ids as in the page's data-chart attributes). */
function requiredCharts(s: RunSummary, dir: string, scenario: string): string[] {
  const apps = s.results.filter((r) => r.scenario === scenario);
  const withSeries = apps.filter((r) => existsSync(join(dir, scenario, r.app, "timeseries.json")));
  const ids = withSeries.length ? ["latency", "throughput", "pg-statements", "pg-commits", "pg-rows", "redis"] : [];
  for (const r of withSeries) ids.push(`cpu-${r.app === "stateless" ? "left" : "right"}`);
  if (apps.some((r) => r.spectrum.length > 0)) ids.push("spectrum");
  return ids;
}

/** The decoded-image fields read in the page (the project compiles without the DOM lib). */
type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };

let browser: Browser | null = null;
const MISSING = `Chromium not found at ${CHROMIUM}: \`npm run setup\` installs it (Debian package "chromium")`;

before(async () => {
  // A missing browser fails each test with how to get it (below), rather than skipping or cancelling them.
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

after(async () => {
  await browser?.close();
});

for (const [name, fixture] of Object.entries(FIXTURES)) {
  describe(`report of fixture "${name}" in Chromium`, () => {
    const summary = JSON.parse(readFileSync(join(fixture, "summary.json"), "utf8")) as RunSummary;
    const scenarios = [...new Set(summary.results.map((r) => r.scenario))];

    test("verdict table, every chart loaded, no console errors, no network; failures in the first screenful", async () => {
      assert.ok(browser, MISSING);
      const dir = copyFixture(fixture, `browser-${name}`);
      const { html } = await writeReport(dir);
      const page = await browser.newPage({ viewport: VIEWPORT });
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (!url.startsWith("file:") && !url.startsWith("data:")) requests.push(url);
        return url.startsWith("file:") || url.startsWith("data:") ? route.continue() : route.abort();
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

      // One verdict table per scenario, one body row per metric.
      const tables = page.locator("table.verdict-table");
      assert.equal(await tables.count(), scenarios.length);
      for (const scenario of scenarios) {
        const rows = page.locator(`table.verdict-table[data-pairing="${scenario}"] tbody tr:not(.group)`);
        assert.equal(await rows.count(), METRICS.length, `metric rows of ${scenario}`);
      }
      const pageWidth = await page.evaluate("document.documentElement.scrollWidth");
      assert.ok(Number(pageWidth) <= VIEWPORT.width, `no horizontal overflow (page is ${pageWidth}px wide)`);
      const verdictTop = await tables.first().evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(verdictTop < VIEWPORT.height, `verdict table starts in the first screenful (top ${verdictTop}px)`);

      // Every chart image decoded.
      const images = await page.$$eval("figure.chart img", (imgs) =>
        imgs.map((i) => ({
          chart: i.closest("figure")?.getAttribute("data-chart") ?? "",
          section: i.closest("section")?.id ?? "",
          complete: (i as unknown as Img).complete,
          w: (i as unknown as Img).naturalWidth,
          h: (i as unknown as Img).naturalHeight,
        })),
      );
      for (const scenario of scenarios) {
        const present = images.filter((i) => i.section === `scenario-${scenario}`).map((i) => i.chart);
        for (const id of requiredCharts(summary, dir, scenario)) {
          assert.ok(present.includes(id), `chart ${id} of ${scenario} present (have ${present.join(", ")})`);
        }
      }
      for (const i of images) {
        assert.ok(i.complete && i.w > 0 && i.h > 0, `chart ${i.section}/${i.chart} loaded (${i.w}x${i.h})`);
      }

      // The claims section has one verdict per claim, each one of the three.
      const verdicts = await page.$$eval("article.claim", (els) => els.map((e) => e.getAttribute("data-verdict")));
      assert.ok(verdicts.length > 0);
      for (const v of verdicts) assert.ok(["supported", "contradicted", "not-measured"].includes(v ?? ""));

      // Failures shown loudly, above the fold; a clean run says so instead.
      const banner = page.locator("#banner-fail");
      if (expectsFailure(summary)) {
        assert.ok(await banner.isVisible(), "failure banner visible");
        const box = await banner.boundingBox();
        assert.ok(
          box && box.y + Math.min(box.height, 80) <= VIEWPORT.height,
          `failure banner in first screenful: ${JSON.stringify(box)}`,
        );
        const text = (await banner.textContent()) ?? "";
        for (const r of summary.results.filter((x) => x.audit.valid === false)) {
          assert.match(text, new RegExp(`${r.scenario} · ${r.app}: audit FAILED: ${r.audit.lost} lost`));
        }
      } else {
        assert.equal(await banner.count(), 0, "no failure banner for a run without failures");
      }

      await page.screenshot({ path: join(TEST_OUTPUT, `report-${name}-first-screen.png`) });
      await page.screenshot({ path: join(TEST_OUTPUT, `report-${name}-full.png`), fullPage: true });
      await page.close();
      assert.deepEqual(consoleErrors, [], "no console errors");
      assert.deepEqual(requests, [], "the report made no network requests");
    });
  });
}
