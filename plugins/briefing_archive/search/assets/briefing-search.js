// The search page of the `briefing-search` plugin: a small UI on Pagefind's JS API.
// The form is the state: q, one value per filter and the order are read from and written to the
// URL (?q=…&topic=…), so a search can be bookmarked or shared, and the header box can prefill it.

const root = document.querySelector("[data-bs-search]");
if (root) start(root);

function start(root) {
  const form = root.querySelector("form");
  const input = form.elements.q;
  const selects = [...root.querySelectorAll("[data-bs-filter]")];
  const order = root.querySelector("[data-bs-sort]");
  const clear = root.querySelector("[data-bs-clear]");
  const status = root.querySelector("[data-bs-status]");
  const list = root.querySelector("[data-bs-results]");
  const more = root.querySelector("[data-bs-more]");
  const pageSize = Number(root.dataset.bsPageSize) || 10;
  const siteUrl = new URL(root.dataset.bsRoot, location.href);
  const siteRoot = siteUrl.pathname;
  const bundle = new URL(root.dataset.bsBundle, location.href);
  // The index may come in parts, each a run of years, newest first (see search/index_parts.py).
  const parts = JSON.parse(root.dataset.bsParts || "[]");
  // Searched when filters are chosen without words: every brief carries it (see search/plugin.py).
  const everyBrief = root.dataset.bsEvery || null;

  // What Pagefind is asked for a reader's words. Pagefind extends the last word as a prefix, so
  // "z" would match the word every brief carries: such a query is searched as exact words.
  function query(term) {
    if (!term) return everyBrief;
    const last = term.split(/\s+/).pop().toLowerCase();
    return everyBrief && everyBrief.startsWith(last) ? `"${term.replaceAll('"', "")}"` : term;
  }
  const dates = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

  let pagefind = null;
  let current = 0; // number of the latest search; older ones that finish late are dropped
  let results = inOrder([[]]); // what the last search found, as inOrder gives them
  let shown = 0;
  let timer = null;

  // Pagefind with every index merged, loaded once: a search started meanwhile waits for all of it.
  let loading = null;
  function engine() {
    loading ??= load().catch((error) => { loading = null; throw error; }); // tried again next time
    return loading;
  }

  // The languages each part of the index holds, in order (known once Pagefind is loaded).
  let partLanguages = [];

  async function load() {
    // Pagefind keeps one index per page language (<html lang>) in each bundle. The first part's
    // index in this page's language is Pagefind's own; every other index of every part is
    // merged, each in its language. Each is tagged with a filter `language`, so that a search can
    // be asked of one language's indexes (sortedSearch).
    const pageLanguage = (document.documentElement.lang || "unknown").toLowerCase();
    const bundles = parts.length ? parts.map((part) => new URL(part.bundle, siteUrl)) : [bundle];
    const indexes = await Promise.all(bundles.map(languagesOf));
    const own = loadedBy(indexes[0], pageLanguage);
    const pf = await import(new URL("pagefind.js", bundle).href);
    await pf.options({ baseUrl: siteRoot, bundlePath: bundle.pathname, excerptLength: 28, mergeFilter: { language: own } });
    await pf.init();
    for (const [number, url] of bundles.entries()) {
      for (const [language] of indexes[number]) {
        if (number === 0 && language === own) continue;
        // The whole URL: Pagefind skips merging a path its own index's path starts with (itself).
        await pf.mergeIndex(url.href, { language, mergeFilter: { language }, baseUrl: siteRoot, excerptLength: 28 });
      }
    }
    partLanguages = indexes.map((entries) => entries.map(([language]) => language));
    pagefind = pf;
    return pf;
  }

  // [language, {page_count, ...}] for each index of a bundle, as its pagefind-entry.json lists them.
  async function languagesOf(url) {
    const response = await fetch(new URL("pagefind-entry.json", url), { cache: "no-cache" });
    if (!response.ok) throw new Error(`${response.status}: ${response.url}`);
    return Object.entries((await response.json()).languages || {});
  }

  // Which index Pagefind's own instance loads for a page in `language`, as Pagefind 1.5 picks it:
  // that language's, else its primary subtag's, else the one with the most pages.
  function loadedBy(indexes, language) {
    for (const wanted of [language, language.split("-")[0]]) {
      if (indexes.some(([name]) => name === wanted)) return wanted;
    }
    const largest = [...indexes].sort((a, b) => b[1].page_count - a[1].page_count)[0];
    return largest ? largest[0] : null;
  }

  function addCounts(total, more) {
    for (const [key, values] of Object.entries(more || {})) {
      total[key] ??= {};
      for (const [value, count] of Object.entries(values)) total[key][value] = (total[key][value] ?? 0) + count;
    }
  }

  // Pagefind ranks a sorted search by position within each index and merges the indexes by that
  // rank, which interleaves them. So each index is searched on its own: each part (a run of
  // years, newest first) by its years, each language by its filter. Parts follow one another;
  // the languages of a part are merged by date as results are shown (inOrder).
  async function sortedSearch(pf, term, filters, sort) {
    if (parts.length < 2 && (partLanguages[0] || []).length < 2) {
      const found = await pf.search(term, { filters, sort });
      return { ...found, results: inOrder([found.results], sort) };
    }
    const searches = [];
    const partsInOrder = sort.date === "asc" ? [...parts.entries()].reverse() : [...parts.entries()];
    for (const [number, part] of partsInOrder) {
      const years = part.years.filter((year) => !filters.year || year === filters.year);
      if (part.years.length && !years.length) continue;
      const own = part.years.length ? { ...filters, year: { any: years } } : filters;
      for (const language of partLanguages[number] || []) {
        searches.push(pf.search(term, { filters: { ...own, language }, sort }));
      }
    }
    const found = { results: [], filters: {} };
    const lists = [];
    for (const one of await Promise.all(searches)) {
      lists.push(one.results);
      addCounts(found.filters, one.filters);
    }
    // In one language a part, the parts' lists one after the other are in order already.
    const oneLanguageEach = partLanguages.every((languages) => languages.length < 2);
    found.results = oneLanguageEach ? inOrder([lists.flat()]) : inOrder(lists, sort);
    return found;
  }

  // Pagefind's best matches first, over every index.
  async function relevantSearch(pf, term, filters) {
    const found = await pf.search(term, { filters });
    return { ...found, results: inOrder([found.results]) };
  }

  // Results in date order from `lists`, each in date order (or one list, in Pagefind's order):
  // `length`, and `take(n)`, the data of the next n. Only the first result of each list is read
  // ahead, to compare dates (Pagefind reads a result's data, its date among them, from one file).
  function inOrder(lists, sort) {
    if (lists.length === 1) { // in Pagefind's order already
      let given = 0;
      return {
        length: lists[0].length,
        take: (n) => Promise.all(lists[0].slice(given, (given += n)).map((result) => result.data())),
      };
    }
    const next = lists.map(() => 0);
    const read = new Map();
    const dataOf = (result) => {
      if (!read.has(result)) read.set(result, result.data());
      return read.get(result);
    };
    const later = sort && sort.date === "asc" ? (a, b) => a < b : (a, b) => a > b;
    return {
      length: lists.reduce((sum, list) => sum + list.length, 0),
      async take(n) {
        const taken = [];
        while (taken.length < n) {
          const heads = lists.map((list, k) => (next[k] < list.length ? dataOf(list[next[k]]) : null));
          let best = -1, bestDate = "";
          for (const [k, head] of heads.entries()) {
            if (!head) continue;
            const date = ((await head).meta || {}).date || "";
            if (best < 0 || later(date, bestDate)) [best, bestDate] = [k, date];
          }
          if (best < 0) break;
          taken.push(await dataOf(lists[best][next[best]++]));
        }
        return taken;
      },
    };
  }

  function chosen() {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.bsFilter] = select.value;
    return filters;
  }

  function syncUrl() {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    for (const [key, value] of Object.entries(chosen())) params.set(key, value);
    if (order.value) params.set("sort", order.value);
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // One option per value in the index, labelled with how many results it would leave.
  function fillOptions(select, counts, keep) {
    const key = select.dataset.bsFilter;
    const label = select.options[0].textContent;
    const values = Object.keys(counts);
    if (key === "year") values.sort((a, b) => b.localeCompare(a));
    else values.sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
    if (keep && !values.includes(keep)) values.unshift(keep);
    const options = [new Option(label, "")];
    for (const value of values) {
      const option = new Option(`${value} (${counts[value] ?? 0})`, value);
      option.disabled = !counts[value] && value !== keep;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = keep || "";
    select.closest(".bs-filter").hidden = values.length === 0;
  }

  function updateCounts(counts) {
    for (const select of selects) fillOptions(select, counts[select.dataset.bsFilter] || {}, select.value);
  }

  function slugOf(url) {
    return url.split(/[?#]/)[0].split("/").filter(Boolean).pop() || "";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(data, withExcerpt) {
    const meta = data.meta || {};
    const item = el("li", "ba-card bs-result");
    item.dataset.brief = slugOf(data.url);
    const kicker = el("p", "ba-kicker");
    if (meta.type) kicker.append(el("span", "bs-result__type", meta.type));
    if (meta.date) {
      if (meta.type) kicker.append(" · ");
      const time = el("time", "", dates.format(new Date(meta.date + "T00:00:00Z")));
      time.dateTime = meta.date;
      kicker.append(time);
    }
    if (meta.series) kicker.append(" · ", el("span", "ba-series-label", meta.series));
    const title = el("h2", "ba-card__title");
    const link = el("a", "", meta.title || data.url);
    link.href = data.url;
    title.append(link);
    const text = el("p", "ba-card__summary");
    if (withExcerpt && data.excerpt) {
      text.innerHTML = data.excerpt; // Pagefind escapes the text, then adds <mark>
      text.classList.add("bs-result__excerpt");
    } else text.textContent = meta.summary || "";
    // A translation's title and excerpt in its own language, for screen readers and fonts.
    if (meta.language && meta.language !== document.documentElement.lang) {
      title.lang = meta.language;
      text.lang = meta.language;
    }
    item.append(kicker, title, text);
    // As a listing's card: the byline (as the brief page writes it), then the reading time.
    const credits = el("p", "ba-card__meta");
    if (meta.authors) credits.append(el("span", "ba-byline", "By " + meta.authors));
    if (meta.minutes) {
      const time = el("span", "ba-card__time");
      const dot = el("span", "", "·");
      dot.setAttribute("aria-hidden", "true");
      time.append(dot, ` ${meta.minutes} min read`);
      credits.append(" ", time);
    }
    if (credits.childNodes.length) item.append(credits);
    return item;
  }

  async function showMore(search, withExcerpt) {
    const data = await results.take(pageSize);
    if (search !== current) return;
    list.append(...data.map((d) => card(d, withExcerpt)));
    shown += data.length;
    more.hidden = shown >= results.length;
  }

  // What each value of each filter would leave. Pagefind counts a value on top of the chosen ones;
  // for a filter that has a value chosen, the other values count as a switch to them instead.
  async function facetCounts(pf, term, filters, found, totals) {
    const counts = { ...found };
    for (const key of Object.keys(filters)) {
      const others = { ...filters };
      delete others[key];
      counts[key] = !term && Object.keys(others).length === 0
        ? totals[key]
        : ((await pf.search(query(term), { filters: others })).filters || {})[key];
    }
    return counts;
  }

  async function run() {
    clearTimeout(timer);
    const search = ++current;
    syncUrl();
    const term = input.value.trim();
    const filters = chosen();
    clear.hidden = Object.keys(filters).length === 0 && !order.value;
    root.classList.add("bs-search--busy");
    try {
      const pf = await engine();
      const totals = await pf.filters(); // also loads the filter index, which searches need for counts
      if (!term && Object.keys(filters).length === 0) {
        if (search !== current) return;
        results = inOrder([[]]);
        list.replaceChildren();
        more.hidden = true;
        updateCounts(totals);
        status.textContent = "Type a word or pick a filter.";
        return;
      }
      const sort = order.value === "oldest" ? { date: "asc" } : order.value === "newest" || !term ? { date: "desc" } : undefined;
      const found = sort ? await sortedSearch(pf, query(term), filters, sort) : await relevantSearch(pf, query(term), filters);
      if (search !== current || !found) return;
      const counts = await facetCounts(pf, term, filters, found.filters || {}, totals);
      if (search !== current) return;
      results = found.results;
      shown = 0;
      list.replaceChildren();
      updateCounts(counts);
      const n = results.length;
      const what = n === 1 ? "1 brief" : `${n.toLocaleString("en-US")} briefs`;
      status.textContent = n ? (term ? `${what} match “${term}”` : what) : (term ? `No brief matches “${term}”` : "No brief matches these filters");
      if (n && Object.keys(filters).length) status.textContent += " with these filters";
      status.textContent += ".";
      await showMore(search, Boolean(term));
    } catch (error) {
      if (search === current) status.textContent = "Search is not available right now.";
      console.error(error);
    } finally {
      if (search === current) root.classList.remove("bs-search--busy");
    }
  }

  // The URL first: prefill the form, then fill the filter lists and search.
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const value = params.get(select.dataset.bsFilter);
    if (value) fillOptions(select, { [value]: 1 }, value);
  }
  order.value = params.get("sort") || "";
  if (!input.value) input.focus();

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    for (const select of selects) select.value = "";
    order.value = "";
    run();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    if (pagefind && input.value.trim()) pagefind.preload(query(input.value.trim()), { filters: chosen() });
    timer = setTimeout(run, 250);
  });
  input.addEventListener("focus", () => { engine(); }, { once: true });
  for (const select of [...selects, order]) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(current, Boolean(input.value.trim())));
  run();
}
