#!/usr/bin/env node
// The browser test suite of `workbook build`: builds sites, serves them on 127.0.0.1, visits every
// page in headless Chromium and checks what a person (and a validator) would check.
//
//   WORKBOOK_BIN=target/debug/workbook node tests/browser/run.mjs [--keep] [--site NAME]...
//   (NAME: example-public, example-internal, kitchen-sink-…, retired-tool-…, or example-preview:
//   `workbook serve`'s two views with the preview bar)
//   node tests/browser/run.mjs --check-dir SITE_FOLDER...     (a site built already)
//   node tests/browser/run.mjs --check-dir REGISTER_FOLDER --register [--pages a.html,b/c.html]
//   (a register built already: its filter script with and without JavaScript as well; --pages
//   visits only those pages of every folder)
//
// Needs: Node 20, `npm ci --prefix tests/browser`, Debian's chromium (or CHROMIUM=/path), a Java
// runtime (for the Nu HTML Checker and Jing, both in vnu.jar), xmllint (libxml2-utils) and git.
// Prints every failure as `site page: rule: message` and exits 1 when there is any; 2 when it
// cannot run at all.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SCREENSHOTS = path.join(HERE, 'screenshots');
const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const ATOM_RNC = path.join(HERE, 'schemas', 'atom.rnc');
const SITEMAP_XSD = path.join(HERE, 'schemas', 'sitemap.xsd');
const SITEINDEX_XSD = path.join(HERE, 'schemas', 'siteindex.xsd');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// Playwright adds a new, empty --user-data-dir of its own at every launch.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// "Today" for every build, so that overdue reviews are the same on every run: 2027-01-15.
const SOURCE_DATE_EPOCH = '1800000000';
const KITCHEN_SINK_BASE_URL = 'https://transparency.kitchen-sink.example/placements/';

const started = Date.now();
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const onlySites = args.flatMap((a, i) => (args[i - 1] === '--site' ? [a] : []));
const registerMode = args.includes('--register');
const onlyPages = args.flatMap((a, i) => (args[i - 1] === '--pages' ? a.split(',') : []));

// ---------------------------------------------------------------------------------------------
// Failures and checks

const failures = [];
let passed = 0;

/** Records one failed check. */
function fail(site, page, rule, message, element) {
  failures.push({ site, page, rule, message, element: element || '' });
}

/** Records a check: passes when `ok`, else a failure. */
function check(ok, site, page, rule, message, element) {
  if (ok) passed += 1;
  else fail(site, page, rule, message, element);
}

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function die(message) {
  console.error(`browser tests cannot run: ${message}`);
  process.exit(2);
}

// The suite takes a minute or two; a stuck browser or validator fails it here rather than holding
// the whole test run until CI's own limit.
const WATCHDOG_MINUTES = 15;
setTimeout(() => {
  console.error(`browser tests stopped: still running after ${WATCHDOG_MINUTES} minutes`);
  process.exit(3);
}, WATCHDOG_MINUTES * 60 * 1000).unref();

// ---------------------------------------------------------------------------------------------
// Prerequisites: say exactly what is missing.

const checkDirs = args.flatMap((a, i) => (args[i - 1] === '--check-dir' ? [path.resolve(a)] : []));
const WORKBOOK_BIN = process.env.WORKBOOK_BIN;
if (!WORKBOOK_BIN && checkDirs.length === 0) {
  die(
    'WORKBOOK_BIN is not set. Build the binary and name it, for example:\n' +
      '  cargo build && WORKBOOK_BIN=target/debug/workbook node tests/browser/run.mjs',
  );
}
if (WORKBOOK_BIN && !fs.existsSync(WORKBOOK_BIN)) die(`WORKBOOK_BIN=${WORKBOOK_BIN} does not exist`);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  die(`no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM)`);
}
for (const [cmd, versionArg, install] of [
  ['java', '-version', 'apt-get install -y default-jre-headless'],
  ['xmllint', '--version', 'apt-get install -y libxml2-utils'],
  ['git', '--version', 'apt-get install -y git'],
]) {
  const r = spawnSync(cmd, [versionArg], { stdio: 'ignore' });
  if (r.error || r.status !== 0) die(`\`${cmd}\` is not installed: ${install}`);
}
if (!fs.existsSync(VNU_JAR) || !fs.existsSync(AXE_JS)) {
  die('the npm packages are missing: run `npm ci --ignore-scripts --prefix tests/browser`');
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  die(`playwright-core does not load (${e.message}): run \`npm ci --ignore-scripts --prefix tests/browser\``);
}
const AXE_SOURCE = fs.readFileSync(AXE_JS, 'utf8');

// ---------------------------------------------------------------------------------------------
// Builds

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-browser-'));

/** Copies the kitchen-sink fixture into `dir` and gives it a git history of three commits. */
function kitchenSinkRepository(dir) {
  fs.cpSync(path.join(ROOT, 'tests', 'fixtures', 'kitchen-sink'), dir, { recursive: true });
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Kitchen Sink Data Team',
    GIT_AUTHOR_EMAIL: 'data-team@kitchen-sink.example',
    GIT_COMMITTER_NAME: 'Kitchen Sink Data Team',
    GIT_COMMITTER_EMAIL: 'data-team@kitchen-sink.example',
  };
  const git = (gitArgs, date) => {
    const r = spawnSync('git', gitArgs, {
      cwd: dir,
      env: date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env,
      encoding: 'utf8',
    });
    if (r.status !== 0) die(`git ${gitArgs.join(' ')} failed in ${dir}:\n${r.stderr}`);
  };
  const later = ['answers/07-bias-and-disproportionate-impact.md', 'answers/13-ongoing-effectiveness.md'];
  const held = later.map((f) => [f, fs.readFileSync(path.join(dir, f))]);
  for (const [f] of held) fs.rmSync(path.join(dir, f));
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'First answers: questions 1 to 6 and 8 to 12'], '2026-09-01T09:00:00Z');
  for (const [f, bytes] of held) fs.writeFileSync(path.join(dir, f), bytes);
  git(['add', '-A']);
  git(
    [
      'commit',
      '-q',
      '-m',
      'Bias analysis & ongoing effectiveness: <script>alert("subject")</script> and a very long commit subject that goes on and on to test wrapping',
    ],
    '2026-10-15T14:30:00Z',
  );
  fs.appendFileSync(path.join(dir, 'answers/02-outcomes-and-benefits.md'), '\nUpdated after the October board.\n');
  git(['commit', '-q', '-am', 'Update question 2 after the board'], '2026-10-20T08:15:00Z');
}

/** The base_url in tests/fixtures/retired-tool/workbook.yaml. */
const RETIRED_TOOL_BASE_URL = 'https://transparency.fernmoor.example/early-help-profiling/';

/** The base_url in example-project/workbook.yaml. */
const EXAMPLE_BASE_URL = 'https://transparency.northfield.example/early-help/';

function build(name, project, audience, baseUrl) {
  const out = path.join(TMP, name);
  const r = spawnSync(WORKBOOK_BIN, ['build', project, '--out', out, '--audience', audience], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH, NO_COLOR: '1' },
  });
  if (r.status !== 0) {
    fail(name, '(build)', 'build', `workbook build exited ${r.status}: ${r.stderr.trim()}`);
    return null;
  }
  return { name, dir: out, audience, baseUrl };
}

function buildAll() {
  const buildStarted = Date.now();
  const kitchenSink = path.join(TMP, 'kitchen-sink-project');
  kitchenSinkRepository(kitchenSink);
  const example = path.join(ROOT, 'example-project');
  const retiredTool = path.join(ROOT, 'tests', 'fixtures', 'retired-tool');
  const sites = [
    build('example-public', example, 'public', EXAMPLE_BASE_URL),
    build('example-internal', example, 'internal', EXAMPLE_BASE_URL),
    build('kitchen-sink-public', kitchenSink, 'public', KITCHEN_SINK_BASE_URL),
    build('kitchen-sink-internal', kitchenSink, 'internal', KITCHEN_SINK_BASE_URL),
    build('retired-tool-public', retiredTool, 'public', RETIRED_TOOL_BASE_URL),
    build('retired-tool-internal', retiredTool, 'internal', RETIRED_TOOL_BASE_URL),
  ].filter((s) => s && (onlySites.length === 0 || onlySites.includes(s.name)));
  console.log(`built ${sites.length} sites in ${elapsed(buildStarted)} into ${TMP}`);
  return sites;
}

/**
 * `workbook serve` of `project`: its public preview at / and its internal view at /internal/, each
 * page with the preview bar. The pages are visited on the live server (the reload script needs its
 * event stream), and copied, by following every link from both home pages and the sitemap, into a
 * folder for the validators and the link checks. The server is stopped at the end of the run.
 */
async function servePreview(name, project) {
  const out = path.join(TMP, name);
  const child = spawn(WORKBOOK_BIN, ['serve', '--port', '0', '--quiet', project], {
    env: { ...process.env, SOURCE_DATE_EPOCH, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // However the run ends (a failure to start Chromium, the watchdog), the server ends with it.
  process.on('exit', () => child.kill());
  const origin = await new Promise((resolve) => {
    let said = '';
    const timer = setTimeout(() => resolve(null), 60 * 1000);
    child.stderr.on('data', (d) => {
      said += d;
      const m = said.match(/Serving .* on (http:\/\/\S+\/) \(Ctrl-C/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!origin) {
    fail(name, '(serve)', 'serve', 'workbook serve did not start');
    child.kill();
    return null;
  }
  const queue = ['index.html', 'internal/index.html', 'feed.xml', 'sitemap.xml', 'workbook.json'];
  const seen = new Set(queue);
  const follow = (href, from) => {
    let u;
    try {
      u = new URL(href.replace(/&amp;/g, '&'), origin + from);
    } catch {
      return;
    }
    if (!u.href.startsWith(origin)) return;
    let target = decodeURIComponent(u.pathname.slice(1));
    if (target === '' || target.endsWith('/')) target += 'index.html';
    if (target.startsWith('__workbook/') || seen.has(target)) return;
    seen.add(target);
    queue.push(target);
  };
  while (queue.length) {
    const rel = queue.shift();
    const res = await fetch(origin + rel.split('/').map(encodeURIComponent).join('/'));
    // A page that is not there stays out of the copy, for the link checks to report.
    if (!res.ok) continue;
    const body = Buffer.from(await res.arrayBuffer());
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), body);
    if (rel.endsWith('.html')) {
      for (const m of body.toString('utf8').matchAll(/(?:href|src)="([^"]+)"/g)) follow(m[1], rel);
    } else if (rel.endsWith('sitemap.xml')) {
      for (const m of body.toString('utf8').matchAll(/<loc>([^<]+)<\/loc>/g)) follow(m[1], rel);
    }
  }
  return { name, dir: out, audience: 'preview', baseUrl: origin, origin, child };
}

async function previewAll() {
  const names = ['example-preview'].filter((n) => onlySites.length === 0 || onlySites.includes(n));
  const previews = [];
  for (const name of names) previews.push(await servePreview(name, path.join(ROOT, 'example-project')));
  return previews.filter(Boolean);
}

// `--check-dir DIR` checks folders that are already built (as the public audience) instead.
const SITES =
  checkDirs.length > 0
    ? checkDirs.map((dir) => ({ name: path.basename(dir), dir, audience: 'public', baseUrl: null }))
    : [...buildAll(), ...(await previewAll())];

/** Every file under `dir`, relative, with `/`. */
function walk(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel];
  });
}
for (const site of SITES) {
  site.files = walk(site.dir).filter((f) => f !== '.workbook-site');
  site.pages = site.files.filter((f) => f.endsWith('.html')).sort();
  if (onlyPages.length > 0) site.pages = site.pages.filter((p) => onlyPages.includes(p));
}

// ---------------------------------------------------------------------------------------------
// Validators that run beside the browser: the Nu HTML Checker, Jing (Atom) and xmllint (sitemap).

function run(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: String(e) }));
  });
}

/** Maps a path or file: URL of a built file back to its site and page. */
function locate(fileOrUrl) {
  const file = fileOrUrl.startsWith('file:') ? fileURLToPath(fileOrUrl) : fileOrUrl;
  for (const site of SITES) {
    const rel = path.relative(site.dir, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return [site.name, rel];
  }
  return ['?', file];
}

async function validateHtml() {
  const t = Date.now();
  const files = SITES.flatMap((s) => s.pages.map((p) => path.join(s.dir, p)));
  const r = await run('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', ...files]);
  let messages;
  try {
    messages = JSON.parse(r.stdout).messages;
  } catch {
    fail('*', '*', 'vnu', `the Nu HTML Checker did not run (exit ${r.code}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
    return;
  }
  const bad = new Set();
  for (const m of messages) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    const [site, page] = m.url ? locate(m.url) : ['*', '*'];
    bad.add(`${site}/${page}`);
    const where = m.lastLine ? `line ${m.lastLine}` : '';
    fail(site, page, 'vnu', `${where ? `${where}: ` : ''}${m.message}`, (m.extract || '').replace(/\s+/g, ' ').trim());
  }
  passed += files.length - bad.size;
  console.log(`Nu HTML Checker: ${files.length} pages, ${messages.length} errors, in ${elapsed(t)}`);
}

async function validateXml() {
  const t = Date.now();
  for (const site of SITES) {
    const feed = path.join(site.dir, 'feed.xml');
    const sitemap = path.join(site.dir, 'sitemap.xml');
    if (!fs.existsSync(feed)) fail(site.name, 'feed.xml', 'feed', 'the site has no feed.xml');
    else {
      const jing = await run('java', [
        '-cp',
        VNU_JAR,
        'nu.validator.vendor.thaiopensource.relaxng.util.Driver',
        '-c',
        ATOM_RNC,
        feed,
      ]);
      const errors = `${jing.stdout}${jing.stderr}`.split('\n').filter((l) => l.trim());
      check(jing.code === 0 && errors.length === 0, site.name, 'feed.xml', 'atom-rnc', errors.join('\n      ') || `Jing exited ${jing.code}`);
    }
    if (!fs.existsSync(sitemap)) fail(site.name, 'sitemap.xml', 'sitemap', 'the site has no sitemap.xml');
    else {
      // A register's sitemap.xml is an index of sitemaps: its own pages' and each member's.
      const isIndex = fs.readFileSync(sitemap, 'utf8').includes('<sitemapindex');
      const sitemaps = isIndex
        ? [[sitemap, SITEINDEX_XSD], ...site.files.filter((f) => /(^|\/)sitemap-register\.xml$/.test(f)).map((f) => [path.join(site.dir, f), SITEMAP_XSD])]
        : [[sitemap, SITEMAP_XSD]];
      for (const [file, xsd] of sitemaps) {
        const xl = await run('xmllint', ['--noout', '--nonet', '--schema', xsd, file]);
        const errors = xl.stderr
          .split('\n')
          .filter((l) => l.trim() && !l.endsWith(' validates'))
          .map((l) => l.replace(`${file}:`, 'line '));
        check(xl.code === 0, site.name, path.relative(site.dir, file), 'sitemap-xsd', errors.join('\n      ') || `xmllint exited ${xl.code}`);
      }
    }
  }
  console.log(`feeds and sitemaps validated in ${elapsed(t)}`);
}

/** The fixtures' markers: nothing internal or draft in the public build, all internal in the other. */
function checkMarkers() {
  for (const name of ['kitchen-sink', 'retired-tool']) checkFixtureMarkers(name);
}

function checkFixtureMarkers(name) {
  const fixture = path.join(ROOT, 'tests', 'fixtures', name);
  const markers = new Map(); // token -> true when it is in an answer (so it belongs on a page)
  for (const rel of walk(fixture)) {
    const text = fs.readFileSync(path.join(fixture, rel), 'latin1');
    for (const m of text.matchAll(/INTERNAL-\d+/g)) markers.set(m[0], markers.get(m[0]) || rel.startsWith('answers/') || rel.startsWith('pages/'));
  }
  for (const site of SITES.filter((s) => s.name.startsWith(`${name}-`))) {
    const read = (files) => files.map((f) => [f, fs.readFileSync(path.join(site.dir, f), 'latin1')]);
    const all = read(site.files);
    if (site.audience === 'public') {
      for (const [file, text] of all) {
        const leaks = [...new Set(text.match(/INTERNAL-\d+|DRAFT-[A-Z-]+/g) || [])];
        check(leaks.length === 0, site.name, file, 'leak', `the public build shows internal or draft text: ${leaks.join(', ')}`);
      }
    } else {
      const pages = all.filter(([f]) => f.endsWith('.html'));
      for (const [token, onPage] of markers) {
        const found = (onPage ? pages : all).some(([, text]) => new RegExp(`${token}(?!\\d)`).test(text));
        check(found, site.name, onPage ? '(pages)' : '(files)', 'internal-shown', `the internal build does not show ${token}, which the fixture marks internal`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A tiny static server, one for each site.

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The response for the path `rel` (URL-decoded, `/`-separated) of the site in `dir`. */
function respond(dir, rel) {
  let file = path.join(dir, rel);
  if (file !== dir && !file.startsWith(dir + path.sep)) return { status: 403, type: 'text/plain', body: 'forbidden' };
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) {
    const notFound = path.join(dir, '404.html');
    return { status: 404, type: TYPES['.html'], body: fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found' };
  }
  const type = path.basename(file) === 'feed.xml' ? 'application/atom+xml' : TYPES[path.extname(file).toLowerCase()];
  return { status: 200, type: type || 'application/octet-stream', body: fs.readFileSync(file) };
}

function serve(dir) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const r = respond(dir, rel);
    res.writeHead(r.status, { 'content-type': r.type });
    res.end(r.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The site file that `href` names (a path relative to the site), or null for an address outside it. */
function siteFile(site, origin, href) {
  let rest = null;
  if (href.startsWith(origin)) rest = href.slice(origin.length);
  else if (site.baseUrl && href.startsWith(site.baseUrl)) rest = href.slice(site.baseUrl.length);
  if (rest === null) return null;
  const pathPart = rest.split(/[?#]/)[0];
  let file = decodeURIComponent(pathPart) || 'index.html';
  if (file.endsWith('/')) file += 'index.html';
  return file;
}

// ---------------------------------------------------------------------------------------------
// In the page

/** A short description of the focused element, run in the page. */
const DESCRIBE = `(el) => {
  if (!el) return '(none)';
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.classList && el.classList.length) s += '.' + [...el.classList].join('.');
  const href = el.getAttribute && el.getAttribute('href');
  if (href) s += '[href="' + href + '"]';
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  if (text && el !== document.body) s += ' "' + text + '"';
  return s;
}`;

async function facts(page) {
  return page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const links = [...document.querySelectorAll('a[href], area[href]')].map((a) => a.href);
    return {
      h1: document.querySelectorAll('h1').length,
      lang: document.documentElement.getAttribute('lang'),
      title: document.title,
      ids,
      links,
    };
  });
}

async function runAxe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Presses Tab once from a fresh load; the skip link must take focus, and Enter must move focus into main. */
async function checkSkipLink(page, site, name) {
  await page.keyboard.press('Tab');
  const before = await page.evaluate((describe) => {
    const describeEl = eval(describe);
    const a = document.activeElement;
    const selector =
      'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), ' +
      'textarea:not([disabled]), summary, iframe, [tabindex]:not([tabindex="-1"]), [contenteditable]:not([contenteditable="false"])';
    const focusable = [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0 && el.tabIndex >= 0);
    const href = a && a.getAttribute ? a.getAttribute('href') : null;
    let target = null;
    if (href && href.startsWith('#') && href.length > 1) target = document.getElementById(decodeURIComponent(href.slice(1)));
    const mains = document.querySelectorAll('main');
    const main = mains[0];
    const r = a ? a.getBoundingClientRect() : { width: 0, height: 0, right: 0, bottom: 0, left: 0, top: 0 };
    return {
      active: describeEl(a),
      first: describeEl(focusable[0]),
      isFirst: focusable[0] === a,
      isLink: !!a && a.tagName === 'A',
      href,
      targetFound: !!target,
      targetInMain: !!(main && target && (main === target || main.contains(target))),
      mains: mains.length,
      visible: r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
    };
  }, DESCRIBE);
  check(before.mains === 1, site, name, 'main-landmark', `the page has ${before.mains} <main> elements, not 1`);
  const skipOk = before.isLink && before.isFirst && before.targetInMain;
  check(
    skipOk,
    site,
    name,
    'skip-link',
    !before.isLink
      ? 'the first Tab does not focus a link'
      : !before.isFirst
        ? `the first Tab focuses ${before.active}, but the first focusable element is ${before.first}`
        : !(before.href || '').startsWith('#')
          ? `the first focusable element links to ${before.href}: it is not a skip link to main`
          : !before.targetFound
            ? `the skip link's target ${before.href} does not exist`
          : `the skip link's target ${before.href} is not main or inside it`,
    before.active,
  );
  if (!before.isLink || !before.targetFound) return false;
  check(before.visible, site, name, 'skip-link-visible', 'the skip link is not visible on the screen when it has focus', before.active);
  await page.keyboard.press('Enter');
  const after = await page.evaluate((describe) => {
    const describeEl = eval(describe);
    const main = document.querySelector('main');
    const a = document.activeElement;
    return { inMain: !!(main && a && (a === main || main.contains(a))), active: describeEl(a) };
  }, DESCRIBE);
  check(
    after.inMain,
    site,
    name,
    'skip-link-focus',
    `after Enter on the skip link, focus is on ${after.active}, not main or inside it (main needs tabindex="-1")`,
    before.active,
  );
  return after.inMain;
}

const FOCUS_PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor'];

/** Tabs to the first link in main and compares its focused and unfocused styles. */
async function checkFocusIndicator(page, site, name) {
  let reached = false;
  for (let i = 0; i < 150 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const a = document.activeElement;
      const main = document.querySelector('main');
      return !!(a && a.tagName === 'A' && main && main.contains(a));
    });
    if (!reached && i > 0) {
      // Stop when focus has left the page or gone round to the start again.
      const lost = await page.evaluate(() => document.activeElement === document.body);
      if (lost) break;
    }
  }
  if (!reached) return; // No link in main: nothing to check on this page.
  const styles = await page.evaluate(
    ({ props, describe }) => {
      const describeEl = eval(describe);
      const a = document.activeElement;
      const read = () => {
        for (const an of a.getAnimations()) an.finish();
        const cs = getComputedStyle(a);
        return Object.fromEntries(props.map((p) => [p, cs[p]]));
      };
      const focused = read();
      const focusVisible = a.matches(':focus-visible');
      a.blur();
      const unfocused = read();
      return { focused, unfocused, focusVisible, element: describeEl(a) };
    },
    { props: FOCUS_PROPS, describe: DESCRIBE },
  );
  const outline = (s) => (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`);
  const differs =
    outline(styles.focused) !== outline(styles.unfocused) ||
    styles.focused.boxShadow !== styles.unfocused.boxShadow ||
    styles.focused.backgroundColor !== styles.unfocused.backgroundColor;
  check(
    differs,
    site,
    name,
    'focus-visible',
    `a link in main looks the same with and without keyboard focus (outline ${outline(styles.focused)}, box-shadow ${styles.focused.boxShadow}, background ${styles.focused.backgroundColor})`,
    styles.element,
  );
}

/** Every element the keyboard can reach must take up room on the screen, at least once it has focus. */
async function checkTabStops(page, site, name) {
  const hidden = await page.evaluate((describe) => {
    const describeEl = eval(describe);
    const selector =
      'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), ' +
      'textarea:not([disabled]), summary, iframe, [tabindex]:not([tabindex="-1"])';
    const empty = (el) => {
      const r = el.getBoundingClientRect();
      return r.width < 1 || r.height < 1;
    };
    const out = [];
    for (const el of document.querySelectorAll(selector)) {
      if (el.tabIndex < 0 || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (!empty(el)) continue;
      el.focus();
      if (empty(el)) out.push(describeEl(el));
      el.blur();
    }
    return out;
  }, DESCRIBE);
  check(
    hidden.length === 0,
    site,
    name,
    'invisible-tab-stop',
    `${hidden.length} elements take keyboard focus but have no size on the screen`,
    hidden.slice(0, 3).join('; '),
  );
}

/**
 * At 320 px no number, and no word of up to 10 letters, in a table is broken across lines: a wide
 * table must scroll in its own container rather than squeeze its cells until "2023" reads 2/0/2/3.
 */
async function checkTableWords(page, site, name) {
  const broken = await page.evaluate(() => {
    const out = [];
    let count = 0;
    for (const cell of document.querySelectorAll('main th, main td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        // Words, split where a browser may break a line anyway: spaces, hyphens, dashes, slashes.
        for (const m of text.data.matchAll(/[^\s\-\u2010-\u2014/]+/g)) {
          const word = m[0];
          const isNumber = /\d/.test(word);
          if (word.length < 2 || (!isNumber && word.replace(/[^\p{L}]/gu, '').length > 10)) continue;
          const range = document.createRange();
          range.setStart(text, m.index);
          range.setEnd(text, m.index + word.length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) {
            count += 1;
            if (out.length < 4) out.push(`"${word}" in ${cell.tagName.toLowerCase()}`);
          }
        }
      }
    }
    return { count, out };
  });
  check(
    broken.count === 0,
    site,
    name,
    'table-words-320',
    `at 320 px, ${broken.count} numbers or short words in tables are broken across lines (the table should scroll in its own container instead)`,
    broken.out.join('; '),
  );
}

/** At 320 px the page must not scroll sideways; names the elements that stick out. */
async function checkReflow(page, site, name) {
  const r = await page.evaluate((describe) => {
    const describeEl = eval(describe);
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = [];
    if (scrollWidth > width) {
      const clipped = (el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
        }
        return false;
      };
      for (const el of document.body.querySelectorAll('*')) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 || b.right <= width + 0.5 || clipped(el)) continue;
        // Report the outermost element that sticks out, not each of its children.
        const parent = el.parentElement;
        const pb = parent && parent !== document.body ? parent.getBoundingClientRect() : null;
        if (pb && pb.right > width + 0.5 && !clipped(parent)) continue;
        culprits.push(`${describeEl(el)} (right edge ${Math.round(b.right)} px)`);
        if (culprits.length >= 5) break;
      }
    }
    return { width, scrollWidth, culprits };
  }, DESCRIBE);
  check(
    r.scrollWidth <= 320,
    site,
    name,
    'reflow-320',
    `at 320 px the page is ${r.scrollWidth} px wide and scrolls sideways`,
    r.culprits.join('; '),
  );
}

// ---------------------------------------------------------------------------------------------
// The visits

async function visitSite(browser, site) {
  const t = Date.now();
  // A preview is visited on its own server; a built site on a static one.
  const server = site.origin ? null : await serve(site.dir);
  const origin = site.origin || `http://127.0.0.1:${server.address().port}/`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  // Addresses under the site's base_url (the 404 page's links, say) come from the same files, as
  // they would once the site is published there.
  if (site.baseUrl && !site.origin) {
    const basePath = new URL(site.baseUrl).pathname;
    await context.route(
      (u) => u.href.startsWith(site.baseUrl),
      (route) => {
        const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(basePath.length));
        const r = respond(site.dir, rel);
        return route.fulfill({ status: r.status, contentType: r.type, body: r.body });
      },
    );
  }
  const page = await context.newPage();
  let current = '';
  const problems = [];
  page.on('console', (m) => {
    // Chromium asks for /favicon.ico by itself; the site need not have one.
    if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location()?.url || '')) {
      problems.push([current, 'console-error', `${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`]);
    }
  });
  page.on('pageerror', (e) => problems.push([current, 'page-error', String(e)]));
  page.on('requestfailed', (r) => {
    // The preview's event stream never ends, so leaving a page always cuts it off.
    if (site.origin && r.url() === `${site.origin}__workbook/events` && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push([current, 'request-failed', `${r.url()}: ${r.failure()?.errorText}`]);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push([current, 'http-error', `${r.status()} for ${r.url()}`]);
  });
  site.facts = {};
  for (const name of site.pages) {
    current = name;
    const url = origin + name;
    // 1. At 1280 px: structure and axe.
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(url, { waitUntil: 'load' });
    check(response && response.status() === 200, site.name, name, 'http', `GET ${name} gave ${response && response.status()}`);
    const f = await facts(page);
    site.facts[name] = f;
    check(f.h1 === 1, site.name, name, 'one-h1', `the page has ${f.h1} h1 elements, not 1`);
    check(!!(f.lang && f.lang.trim()), site.name, name, 'html-lang', '<html> has no lang, or an empty one');
    check(!!(f.title && f.title.trim()), site.name, name, 'title', 'the page has no <title>');
    const seen = new Set();
    const reportAxe = (violations, suffix) => {
      passed += violations.length === 0 ? 1 : 0;
      for (const v of violations) {
        for (const n of v.nodes) {
          if (seen.has(`${v.id} ${n.target}`)) continue;
          seen.add(`${v.id} ${n.target}`);
          const summary = n.summary ? ` — ${n.summary.replace(/\s+/g, ' ').slice(0, 300)}` : '';
          fail(site.name, name, `axe ${v.id}${suffix}`, `${v.help} [${v.impact}]${summary}`, `${n.target}: ${n.html.slice(0, 200)}`);
        }
      }
    };
    reportAxe(await runAxe(page), '');
    await checkTabStops(page, site.name, name);
    // 2. Keyboard: the skip link, then on to the first link in main for its focus style.
    await page.goto(url, { waitUntil: 'load' });
    const skipped = await checkSkipLink(page, site.name, name);
    if (!skipped) await page.goto(url, { waitUntil: 'load' });
    await checkFocusIndicator(page, site.name, name);
    // 3. At 320 px: no sideways scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(url, { waitUntil: 'load' });
    await checkReflow(page, site.name, name);
    await checkTableWords(page, site.name, name);
    // axe again on the narrow layout (scrolling tables, target sizes, a menu for phones), reporting
    // only what it did not already find at 1280 px.
    reportAxe(await runAxe(page), ' @320px');
    // 4. The print view prints.
    if (name === 'print.html') {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      try {
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        check(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', site.name, name, 'print-pdf', `the PDF is ${pdf.length} bytes`);
        console.log(`  ${site.name} print.html: PDF of ${pages} pages, ${Math.round(pdf.length / 1024)} KiB`);
      } catch (e) {
        fail(site.name, name, 'print-pdf', `page.pdf() failed: ${e.message}`);
      }
    }
  }
  // Screenshots of the home page and the question page with a chart.
  if (site.audience === 'public') {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of site.pages.filter((p) => p === 'index.html' || p.startsWith('07-'))) {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(origin + name, { waitUntil: 'load' });
        await page.screenshot({ path: path.join(SCREENSHOTS, `${site.name}-${name.replace(/\.html$/, '')}-${width}.png`), fullPage: true });
      }
    }
  }
  // The feed and the sitemap, parsed by the browser's XML parser: the feed's Schematron rules,
  // which Jing does not run, and sitemap addresses that must name real pages.
  for (const file of ['feed.xml', 'sitemap.xml']) {
    if (!fs.existsSync(path.join(site.dir, file))) continue;
    current = file;
    const text = fs.readFileSync(path.join(site.dir, file), 'utf8');
    const xml = await page.evaluate(
      ({ text, file }) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const err = doc.getElementsByTagName('parsererror')[0];
        if (err) return { parseError: err.textContent.trim() };
        const ns = (prefix) => ({ atom: 'http://www.w3.org/2005/Atom', sm: 'http://www.sitemaps.org/schemas/sitemap/0.9' })[prefix] || null;
        const bool = (expr, node) => doc.evaluate(expr, node, ns, XPathResult.BOOLEAN_TYPE, null).booleanValue;
        const nodes = (expr) => {
          const r = doc.evaluate(expr, doc, ns, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
          return Array.from({ length: r.snapshotLength }, (_, i) => r.snapshotItem(i));
        };
        if (file === 'feed.xml') {
          const out = { rules: [] };
          if (!bool('atom:author or not(atom:entry[not(atom:author)])', doc.documentElement))
            out.rules.push('An atom:feed must have an atom:author unless all of its atom:entry children have an atom:author.');
          nodes('/atom:feed/atom:entry').forEach((entry, i) => {
            if (!bool("atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content", entry))
              out.rules.push(`entry ${i + 1}: An atom:entry must have at least one atom:link element with a rel attribute of 'alternate' or an atom:content.`);
            if (!bool('atom:author or ../atom:author or atom:source/atom:author', entry))
              out.rules.push(`entry ${i + 1}: An atom:entry must have an atom:author if its feed does not.`);
          });
          out.entries = nodes('/atom:feed/atom:entry').length;
          out.links = nodes('//atom:link/@href').map((n) => n.value);
          return out;
        }
        return { locs: nodes('/sm:urlset/sm:url/sm:loc | /sm:sitemapindex/sm:sitemap/sm:loc').map((n) => n.textContent.trim()) };
      },
      { text, file },
    );
    if (xml.parseError) {
      fail(site.name, file, 'xml-parse', xml.parseError.split('\n')[0]);
      continue;
    }
    if (file === 'feed.xml') {
      check(xml.rules.length === 0, site.name, file, 'atom-schematron', xml.rules.join('\n      '));
      // Links into the site (relative ones resolve against the feed's own address).
      site.feedLinks = xml.links.map((href) => {
        if (site.baseUrl && href.startsWith(site.baseUrl)) return href.slice(site.baseUrl.length) || 'index.html';
        return /^[a-z][a-z0-9+.-]*:/i.test(href) ? null : href;
      });
    } else {
      const relative = xml.locs.filter((loc) => !/^https?:\/\/[^/]/.test(loc));
      check(
        relative.length === 0,
        site.name,
        file,
        'sitemap-loc',
        `${relative.length} of ${xml.locs.length} <loc>s are not absolute http(s) URLs, as the sitemap protocol requires`,
        relative.slice(0, 3).map((l) => `<loc>${l}</loc>`).join(' '),
      );
      if (site.baseUrl) {
        for (const loc of xml.locs.filter((l) => !relative.includes(l))) {
          if (!loc.startsWith(site.baseUrl)) {
            fail(site.name, file, 'sitemap-loc', `<loc>${loc}</loc> is not under the base_url ${site.baseUrl}`);
            continue;
          }
          const rel = decodeURIComponent(loc.slice(site.baseUrl.length)) || 'index.html';
          check(site.files.includes(rel), site.name, file, 'sitemap-loc', `<loc>${loc}</loc> names no page of the site`);
          check(rel !== '404.html', site.name, file, 'sitemap-loc', 'the sitemap lists the 404 page');
        }
      }
    }
  }
  for (const problem of new Set(problems.map((p) => JSON.stringify(p)))) {
    const [pageName, rule, message] = JSON.parse(problem);
    fail(site.name, pageName, rule, message);
  }
  passed += site.pages.filter((p) => !problems.some(([q]) => q === p)).length;
  await context.close();
  if (server) server.close();
  // Links between pages, and the fragments they point to.
  for (const [name, f] of Object.entries(site.facts)) {
    for (const href of f.links) {
      const target = siteFile(site, origin, href);
      if (target === null) continue;
      const shown = href.startsWith(origin) ? href.slice(origin.length) : href;
      if (!site.files.includes(target)) {
        fail(site.name, name, 'broken-link', `a link to ${target}, which the site does not have`, shown);
        continue;
      }
      const fragment = decodeURIComponent(new URL(href).hash.slice(1));
      // (A page that --pages left out was not visited, so its ids are not known.)
      if (fragment && target.endsWith('.html') && site.facts[target] && !site.facts[target].ids.includes(fragment)) {
        fail(site.name, name, 'broken-fragment', `a link to #${fragment} in ${target}, which has no such id`, shown);
      }
    }
  }
  for (const link of (site.feedLinks || []).filter(Boolean)) {
    const [target, fragment] = link.split('#');
    const page = target === '' || target === './' ? 'index.html' : decodeURIComponent(target);
    if (!site.files.includes(page)) fail(site.name, 'feed.xml', 'broken-link', `a link to ${page}, which the site does not have`, link);
    else if (fragment && page.endsWith('.html') && site.facts[page] && !site.facts[page].ids.includes(decodeURIComponent(fragment)))
      fail(site.name, 'feed.xml', 'broken-fragment', `a link to #${fragment} in ${page}, which has no such id`, link);
    else passed += 1;
  }
  console.log(`${site.name}: ${site.pages.length} pages in ${elapsed(t)}`);
}

/**
 * A register's home page with and without JavaScript. Without it, the whole table and no search box;
 * with it, a labelled search box reached by the keyboard, which hides the rows that do not match
 * what is typed and says in a polite live region how many are shown.
 */
async function checkRegisterFilter(browser, site) {
  if (!site.files.includes('index.html')) return;
  const server = await serve(site.dir);
  const origin = `http://127.0.0.1:${server.address().port}/`;
  const name = 'index.html (filter)';
  const rows = 'table[data-register-filter] tbody tr';
  try {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const plain = await noScript.newPage();
    await plain.goto(`${origin}index.html`, { waitUntil: 'load' });
    const total = await plain.locator(rows).count();
    check(total > 1, site.name, name, 'register-no-js', `the table of tools has ${total} rows`);
    check((await plain.locator(`${rows}:visible`).count()) === total, site.name, name, 'register-no-js', 'without JavaScript some rows are hidden');
    check((await plain.locator('input').count()) === 0, site.name, name, 'register-no-js', 'without JavaScript the page has a search box');
    await noScript.close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${origin}index.html`, { waitUntil: 'load' });
    const input = page.locator('input[type="search"]');
    check((await input.count()) === 1, site.name, name, 'register-filter', 'the script adds one search box');
    if ((await input.count()) !== 1) return;
    const label = await input.evaluate((el) => (el.labels && el.labels[0] ? el.labels[0].textContent.trim() : ''));
    check(label !== '', site.name, name, 'register-filter', 'the search box has no label');
    const status = page.locator('[role="status"][aria-live="polite"]');
    check((await status.count()) === 1, site.name, name, 'register-filter', 'there is no polite live region');
    // Keyboard only: Tab from the top of the page to the search box, then type.
    let focused = false;
    for (let i = 0; i < 40 && !focused; i += 1) {
      await page.keyboard.press('Tab');
      focused = await input.evaluate((el) => el === document.activeElement);
    }
    check(focused, site.name, name, 'register-filter', 'the search box cannot be reached with Tab');
    const first = (await page.locator(rows).first().locator('th').textContent()).trim();
    await input.focus();
    await page.keyboard.type(first);
    const shown = async () => page.locator(`${rows}:visible`).count();
    await page.waitForFunction(
      (sel) => document.querySelectorAll(sel).length !== [...document.querySelectorAll(sel)].filter((r) => !r.hidden).length,
      rows,
      { timeout: 5000 },
    ).catch(() => {});
    const visible = await shown();
    check(visible >= 1 && visible < total, site.name, name, 'register-filter', `typing “${first}” shows ${visible} of ${total} rows`);
    const announced = (await status.textContent()).trim();
    check(announced === `${visible} of ${total} tools shown`, site.name, name, 'register-filter', `the live region says “${announced}”, not “${visible} of ${total} tools shown”`);
    const shownText = await page.locator(`${rows}:visible`).first().textContent();
    check(shownText.includes(first), site.name, name, 'register-filter', `the row shown is not “${first}”`);
    const violations = await runAxe(page);
    check(violations.length === 0, site.name, name, 'axe', violations.map((v) => `${v.id}: ${v.help}`).join('; '));
    // Emptied, the box shows every row again.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((r) => !r.hidden), rows, { timeout: 5000 }).catch(() => {});
    check((await shown()) === total, site.name, name, 'register-filter', 'emptying the search box does not show every row');
    await context.close();
  } finally {
    server.close();
  }
}

// ---------------------------------------------------------------------------------------------

checkMarkers();
const validators = Promise.all([validateHtml(), validateXml()]);
const browserStarted = Date.now();
let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
} catch (e) {
  die(`Chromium (${CHROMIUM}) does not start: ${e.message}`);
}
try {
  // Two sites at a time: one per core.
  const queue = [...SITES];
  const worker = async () => {
    for (let site = queue.shift(); site; site = queue.shift()) await visitSite(browser, site);
  };
  await Promise.all([worker(), worker()]);
  if (registerMode) for (const site of SITES) await checkRegisterFilter(browser, site);
} finally {
  await browser.close();
}
console.log(`browser checks done in ${elapsed(browserStarted)}`);
await validators;

// ---------------------------------------------------------------------------------------------
// Report

fs.mkdirSync(SCREENSHOTS, { recursive: true });
fs.writeFileSync(path.join(SCREENSHOTS, 'failures.json'), `${JSON.stringify(failures, null, 2)}\n`);
if (failures.length) {
  console.log(`\n${failures.length} failures:`);
  const sorted = [...failures].sort((a, b) => `${a.site} ${a.page} ${a.rule}`.localeCompare(`${b.site} ${b.page} ${b.rule}`));
  for (const f of sorted) {
    console.log(`FAIL ${f.site} ${f.page}: ${f.rule}: ${f.message}`);
    if (f.element) console.log(`      at ${f.element}`);
  }
  const byRule = {};
  for (const f of failures) byRule[f.rule] = (byRule[f.rule] || 0) + 1;
  console.log('\nfailures by rule:');
  for (const [rule, n] of Object.entries(byRule).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${rule}`);
}
for (const site of SITES) if (site.child) site.child.kill();
if (keep) console.log(`\nthe built sites are kept in ${TMP}`);
else fs.rmSync(TMP, { recursive: true, force: true });
console.log(`\nscreenshots and failures.json in ${path.relative(ROOT, SCREENSHOTS)}/; ran in ${elapsed(started)}`);
console.log(`browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
