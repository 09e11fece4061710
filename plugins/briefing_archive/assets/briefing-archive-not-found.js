// The error page (archive/not-found.html): when the address asked for looks like a brief's
// (/briefs/<year>/<slug>/, or an old CMS path such as /2023/06/26/<slug>/ or /<slug>.html), it
// lists the briefs whose slugs come closest, from the archive's small index (api/slugs.json).
// Nothing of the address is ever put into the page as markup: only as text (textContent) and as
// the search box's value.

const SHOWN = 5; // suggestions at most
const ENOUGH = 0.5; // the least score a suggestion needs (1 is the same slug)
// The least likeness letter by letter that counts: unrelated slugs of a length are half alike.
const LETTERS_ENOUGH = 0.75;
const SAME_YEAR = 0.1; // added when the address names the brief's year
const YEAR = /^(?:19|20)\d\d$/;
const PAGE_NAME = /^index\.(?:html?|php)$/i;
const EXTENSION = /\.(?:html?|php|aspx?|jsp)$/i;

// The words of a slug, as the archive writes slugs: lower case, accents dropped, runs of anything
// but letters and digits made one hyphen.
export function slugWords(text) {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function decoded(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%": the segment as it came
  }
}

// What an address under the site's root asks for: the words of its last segment that can be a
// slug, and a year it names, or null when it looks like no brief's address.
export function wantedBrief(pathname, root = "/") {
  const inside = pathname.startsWith(root) ? pathname.slice(root.length) : pathname;
  const segments = inside.split("/").map(decoded).filter(Boolean);
  while (segments.length && PAGE_NAME.test(segments.at(-1))) segments.pop();
  const last = (segments.at(-1) || "").replace(EXTENSION, "");
  const words = slugWords(last);
  if (!words.length || words.every((word) => /^\d+$/.test(word))) return null; // /2023/06/, /?p=123
  const year = segments.find((segment) => YEAR.test(segment));
  const briefLike = words.length > 1 || year !== undefined || segments.includes("briefs");
  return briefLike ? { words, year: year === undefined ? null : Number(year) } : null;
}

// Edit distance (insertions, deletions, substitutions), or `limit + 1` once it must exceed `limit`.
// Only the cells within `limit` of the diagonal can stay within it, so only those are computed.
export function editDistance(a, b, limit = a.length + b.length) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  const over = limit + 1; // stands for any distance past the limit
  let previous = Int32Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Int32Array(n + 1);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(n, i + limit);
    current[from - 1] = from === 1 ? i : over;
    let least = current[from - 1];
    const letter = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      let value = previous[j - 1] + (letter === b.charCodeAt(j - 1) ? 0 : 1);
      if (previous[j] + 1 < value) value = previous[j] + 1;
      if (current[j - 1] + 1 < value) value = current[j - 1] + 1;
      current[j] = value;
      if (value < least) least = value;
    }
    if (to < n) current[to + 1] = over; // the next row's band reaches one further
    if (least > limit) return over;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[n], over);
}

// How many of each letter a text has (slugs are ASCII).
function letterCounts(text) {
  const counts = new Int16Array(128);
  for (let i = 0; i < text.length; i++) counts[text.charCodeAt(i) & 127]++;
  return counts;
}

// The least edit distance two texts can be apart, from their letter counts alone: each edit
// changes the counts by two at most. Far cheaper than the distance, it spares computing most.
function leastDistance(counts, otherCounts) {
  let apart = 0;
  for (let c = 0; c < 128; c++) apart += Math.abs(counts[c] - otherCounts[c]);
  return Math.ceil(apart / 2);
}

// How alike two words are, 0 to 1: the same word, one the other's start ("talk", "talks"), or a
// typo away (one edit in a word of 4 letters or more, two from 8). Numbers only match themselves.
function wordLikeness(a, b) {
  if (a === b) return 1;
  if (/\d/.test(a) || /\d/.test(b) || Math.min(a.length, b.length) < 4) return 0;
  if (a.startsWith(b) || b.startsWith(a)) return 0.85;
  const limit = Math.min(a.length, b.length) >= 8 ? 2 : 1;
  const distance = editDistance(a, b, limit);
  return distance > limit ? 0 : distance === 1 ? 0.85 : 0.7;
}

// The briefs (from the index: {slug, title, year, path}, newest first) whose slugs come closest
// to the wanted words, best first, each with its score. A score is the better of two:
// - the words in common, each weighed by how rare it is among slugs (so "the" or "policy" count
//   for little), on the address's side and on the brief's, the address's side counting double (an
//   old CMS often cut slugs short);
// - how alike the whole slugs are, letter by letter (a typo, or the hyphens left out), when they
//   are alike enough for that to mean something.
export function closestBriefs(wanted, briefs, shown = SHOWN) {
  const count = briefs.length;
  const slugs = briefs.map((brief) => brief.slug.split("-").filter(Boolean));
  const frequency = new Map();
  for (const words of slugs) for (const word of new Set(words)) frequency.set(word, (frequency.get(word) || 0) + 1);
  const weight = (word) => Math.log(1 + count / (frequency.get(word) || 1));
  // Each word of the index against each wanted word, once.
  const likeness = new Map();
  for (const word of frequency.keys()) likeness.set(word, wanted.words.map((asked) => wordLikeness(asked, word)));
  // A wanted word weighs as the word of the index it is most like (an unknown word, as the rarest).
  const askedWeights = wanted.words.map((asked, k) => {
    let best = 0, heaviest = Math.log(1 + count);
    for (const [word, alike] of likeness) if (alike[k] > best) [best, heaviest] = [alike[k], weight(word)];
    return heaviest;
  });
  const askedTotal = askedWeights.reduce((sum, w) => sum + w, 0);
  const joined = wanted.words.join("-");
  const joinedCounts = letterCounts(joined);

  const scored = [];
  briefs.forEach((brief, index) => {
    const words = slugs[index];
    const found = wanted.words.map(() => 0);
    let own = 0, ownTotal = 0;
    for (const word of words) {
      const alike = likeness.get(word);
      const w = weight(word);
      ownTotal += w;
      own += w * Math.max(0, ...alike);
      alike.forEach((value, k) => { found[k] = Math.max(found[k], value); });
    }
    const covered = found.reduce((sum, value, k) => sum + value * askedWeights[k], 0) / askedTotal;
    let score = (2 * covered + (ownTotal ? own / ownTotal : 0)) / 3;
    // Letter by letter, only where it could do better than the words did.
    const longest = Math.max(joined.length, brief.slug.length);
    const limit = Math.floor((1 - Math.max(score, LETTERS_ENOUGH)) * longest);
    if (limit > 0 && leastDistance(joinedCounts, letterCounts(brief.slug)) <= limit) {
      const distance = editDistance(joined, brief.slug, limit);
      if (distance <= limit) score = Math.max(score, 1 - distance / longest);
    }
    if (score >= ENOUGH) scored.push({ brief, score: score + (brief.year === wanted.year ? SAME_YEAR : 0), index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, shown);
}

async function suggest(root) {
  const siteRoot = root.dataset.notFoundRoot || "/";
  const address = root.querySelector("[data-not-found-address]");
  if (address) address.textContent = decoded(location.pathname) + location.search;
  const wanted = wantedBrief(location.pathname, siteRoot);
  if (!wanted) return;
  const box = root.querySelector("input[name=q]");
  if (box && !box.value) box.value = wanted.words.join(" ");
  const response = await fetch(new URL(root.dataset.notFoundIndex, location.href));
  if (!response.ok) return; // the page is whole without suggestions
  const closest = closestBriefs(wanted, await response.json());
  if (!closest.length) return;
  const base = new URL(siteRoot, location.href);
  const list = root.querySelector("[data-not-found-list]");
  list.replaceChildren(...closest.map(({ brief }) => {
    const item = document.createElement("li");
    item.dataset.suggestion = brief.slug;
    const link = document.createElement("a");
    link.href = new URL(brief.path, base).href;
    link.textContent = brief.title;
    const year = document.createElement("span");
    year.className = "ba-muted";
    year.textContent = String(brief.year);
    item.append(link, " ", year);
    return item;
  }));
  root.querySelector("[data-not-found-suggestions]").hidden = false;
}

// `data-not-found-ready` once the script is done, suggestions or not (scripts and tests wait for it).
const page = document.querySelector("[data-not-found]");
if (page) {
  suggest(page)
    .catch((error) => console.warn("no suggestions:", error))
    .finally(() => { page.dataset.notFoundReady = ""; });
}
