// The module the header's Pagefind UI imports, written into the site as pagefind/pagefind.js by
// output/search.py. The index is in parts, each a whole Pagefind bundle in its own folder beside
// this file (listed in parts.json); this loads the first part's Pagefind and merges the others
// into it (Pagefind's mergeIndex) before the UI's first search, so that a query is answered from
// every part, its results ranked together and its filters counted together.
const here = new URL("./", import.meta.url);
const listed = await fetch(new URL("parts.json", here)).then((response) => response.json());
const parts = listed.parts.map((part) => new URL(encodeURIComponent(part.name) + "/", here).href);
// The site's root, for every part's result URLs: Pagefind would guess it from each part's folder.
const root = new URL("../", here).pathname;
const pagefind = await import(parts[0] + "pagefind.js");
let merged = null;

function ready() {
  if (!merged) {
    merged = (async () => {
      for (const part of parts.slice(1)) await pagefind.mergeIndex(part, { baseUrl: root });
      // Every part's filter files, before any search is answered: a search counts only the filters
      // whose files have arrived, and the UI keeps the first search's filters until the next one,
      // so on a slow line a filter would be missing, or its counts not the results', until then.
      // A filter file that fails costs the panel that filter, not every search after.
      await pagefind.filters().catch(() => null);
    })();
  }
  return merged;
}

export async function options(opts) {
  await pagefind.options({ baseUrl: root, ...opts });
  await ready();
}
export async function init() { await pagefind.init(); await ready(); }
export async function search(term, opts) { await ready(); return pagefind.search(term, opts); }
export async function debouncedSearch(term, opts, ms) { await ready(); return pagefind.debouncedSearch(term, opts, ms); }
export async function preload(term, opts) { await ready(); return pagefind.preload(term, opts); }
export async function filters() { await ready(); return pagefind.filters(); }
export async function mergeIndex(path, opts) { return pagefind.mergeIndex(path, opts); }
export async function destroy() { merged = null; return pagefind.destroy(); }
