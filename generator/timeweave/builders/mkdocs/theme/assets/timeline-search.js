// The header's search (partials/pagefind.html): Pagefind's UI in Material's search box. Pagefind
// fetches its index fragments only once a reader types, so a page that is not searched loads none.
// The index is in parts (output/search.py); the bundle's pagefind.js, which the UI imports, merges
// them before the first search, so the UI here is the same for one part or many.
(function () {
  "use strict";
  var mount = document.querySelector("[data-tl-search]");
  if (!mount || typeof PagefindUI === "undefined") return;
  var toggle = document.getElementById("__search");

  function text(value) {  // a metadata value as text, never as markup
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  new PagefindUI({
    element: mount,
    // Absolute: Pagefind imports its scripts relative to its own script otherwise, not to the page.
    bundlePath: new URL(mount.getAttribute("data-tl-search"), document.baseURI).href,
    showImages: false,
    showSubResults: false,
    excerptLength: 24,
    // Pagefind fetches the query's index chunks as soon as a key is typed and searches once the
    // reader pauses: a shorter pause than its own shows results sooner, the chunks already on their way.
    debounceTimeoutMs: 120,
    // A record's date and status lead its excerpt, so a reader sees when and how sure before opening it.
    processResult: function (result) {
      var meta = result.meta || {};
      var lead = [meta.date, meta.status_label].filter(Boolean).map(text).join(" · ");
      if (lead) result.excerpt = '<span class="tl-search__meta">' + lead + "</span> " + result.excerpt;
      delete meta.date;  // shown above, not again as Pagefind's tags
      delete meta.status_label;
      return result;
    }
  });

  // The filter panel lists ids ("armed-clash (3)"): each becomes its label, fetched once the panel
  // first appears. Only the text of the value's own node changes, so Pagefind keeps its counts.
  var labelsUrl = mount.getAttribute("data-tl-search-labels"), labels = null, asked = false;
  function relabel() {
    Array.prototype.forEach.call(mount.querySelectorAll(".pagefind-ui__filter-label"), function (label) {
      var input = document.getElementById(label.htmlFor), words = input && labels[input.name];
      var node = label.firstChild;
      if (words && node && node.nodeType === 3 && words[input.value] && node.nodeValue !== words[input.value]) {
        node.nodeValue = words[input.value];
      }
    });
    Array.prototype.forEach.call(mount.querySelectorAll(".pagefind-ui__filter-group-label"), function (legend) {
      var name = legend.textContent, shown = name.charAt(0).toUpperCase() + name.slice(1);
      if (name !== shown) legend.textContent = shown;  // the filter's name, as its summary shows it
    });
  }
  if (labelsUrl && window.MutationObserver && window.fetch) {
    new MutationObserver(function () {
      if (labels) { relabel(); return; }
      if (asked || !mount.querySelector(".pagefind-ui__filter-label")) return;
      asked = true;
      fetch(labelsUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (found) {
        if (found) { labels = found; relabel(); }
      }).catch(function () { /* the ids stay: the filters still work */ });
    }).observe(mount, { childList: true, subtree: true, characterData: true });
  }

  // Pagefind's form stops Enter with action="javascript:void(0)"; a listener does the same without
  // a javascript: URL in the page (the hostile-site tests refuse any).
  var form = mount.querySelector("form");
  if (form) {
    form.removeAttribute("action");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }
  var input = mount.querySelector("input");
  if (!input || !toggle) return;
  // Pagefind labels its box with a title only, which screen readers may skip (axe label-title-only).
  input.setAttribute("aria-label", input.getAttribute("placeholder") || "Search");
  // Focus in the box opens it; it closes when Escape is pressed anywhere in it, or when focus moves
  // on to the rest of the page (Tab past the results), which it would otherwise stay open over.
  var box = mount.closest(".md-search") || mount;
  box.addEventListener("focusin", function () { toggle.checked = true; });
  box.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    toggle.checked = false;
    if (document.activeElement && box.contains(document.activeElement)) document.activeElement.blur();
  });
  box.addEventListener("focusout", function (event) {
    // relatedTarget is null for a click on the page: the overlay under the box takes that one.
    if (event.relatedTarget && !box.contains(event.relatedTarget)) toggle.checked = false;
  });
  // Pagefind loads its script, WebAssembly and filters when its box gets focus; a pointer or a
  // finger reaching the search starts that a moment earlier, so the first keys find it ready.
  var warm = function () {  // Pagefind's own focus handler only: the box opens on focusin, not on this
    input.dispatchEvent(new FocusEvent("focus"));
  };
  Array.prototype.forEach.call(document.querySelectorAll('label[for="__search"], .tl-search'), function (el) {
    el.addEventListener("pointerenter", warm, { once: true });
    el.addEventListener("touchstart", warm, { once: true, passive: true });
  });
  // The header's magnifier (a label for the toggle) puts the reader in the box.
  toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  // A page's own link to the search (the 404 page's) opens the box.
  Array.prototype.forEach.call(document.querySelectorAll("[data-tl-search-open]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      toggle.checked = true;
      input.focus();
    });
  });
})();
