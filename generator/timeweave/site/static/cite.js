/* Event pages, "Cite this event": adds the reader's access date to the Wikipedia citation (the
   day a reader looks cannot be known when the site is built), shows the page's own address as its
   permanent link when the site was built without one, adds a Copy button to each citation, and
   puts the formats in tabs (the WAI-ARIA tabs pattern: arrow keys, Home and End move between
   them), and makes each download link save the event's own entry of its year's citation file. Without JavaScript the citations are complete except for that date, all shown one after
   the other, and can be selected. */
(function () {
  "use strict";

  function today() {
    var now = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function copyBySelection(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    return done;
  }

  function addCopyButton(element) {
    if (element.getAttribute("data-tl-copy-ready")) { return; }
    element.setAttribute("data-tl-copy-ready", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button tl-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the " + element.getAttribute("data-tl-copy") + " citation");
    var status = document.createElement("span");
    status.className = "tl-copy-status";
    status.setAttribute("role", "status");
    function report(ok) {
      status.textContent = ok ? " Copied." : " Select the text and copy it.";
    }
    button.addEventListener("click", function () {
      if (element.hasAttribute("data-tl-cite-show")) { showEntry(element).then(copy); } else { copy(); }
    });
    function copy() {
      var text = element.innerText.replace(/\s+$/, "");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { report(true); },
          function () { report(copyBySelection(element)); });
      } else {
        report(copyBySelection(element));
      }
    }
    element.insertAdjacentElement("afterend", status);
    element.insertAdjacentElement("afterend", button);
  }

  function makeTabs(container) {
    if (container.getAttribute("data-tl-tabs-ready")) { return; }
    container.setAttribute("data-tl-tabs-ready", "1");
    var panels = container.querySelectorAll(".tl-tabs__panel");
    var list = document.createElement("div");
    list.className = "tl-tabs__list";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", container.getAttribute("data-tl-tabs"));
    var tabs = [];
    function select(index, focus) {
      for (var i = 0; i < tabs.length; i++) {
        var chosen = i === index;
        tabs[i].setAttribute("aria-selected", chosen ? "true" : "false");
        tabs[i].tabIndex = chosen ? 0 : -1;
        panels[i].hidden = !chosen;
        var shows = chosen ? panels[i].querySelector("[data-tl-cite-show]") : null;
        if (shows) { showEntry(shows); }
      }
      if (focus) { tabs[index].focus(); }
    }
    function onKey(event) {
      var index = tabs.indexOf(event.currentTarget);
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    }
    for (var i = 0; i < panels.length; i++) {
      var title = panels[i].querySelector(".tl-tabs__title");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tl-tabs__tab";
      tab.id = panels[i].id + "-tab";
      tab.textContent = title ? title.textContent : String(i + 1);
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panels[i].id);
      tab.addEventListener("click", select.bind(null, i, false));
      tab.addEventListener("keydown", onKey);
      panels[i].setAttribute("role", "tabpanel");
      panels[i].setAttribute("aria-labelledby", tab.id);
      panels[i].tabIndex = 0;
      list.appendChild(tab);
      tabs.push(tab);
    }
    container.insertBefore(list, container.firstChild);
    container.classList.add("tl-tabs--ready");
    select(0, false);
  }

  // A citation file holds every event of a year (or of a month, in a busy year); a download link
  // saves this event's own entry of it (a BibTeX entry, a RIS record, a CSL-JSON list of one item).
  function entryOf(name, text, id) {
    if (/\.json$/.test(name)) {
      var items = JSON.parse(text).filter(function (item) { return item.id === id; });
      return items.length ? JSON.stringify(items, null, 2) + "\n" : null;
    }
    var ris = /\.ris$/.test(name);
    var records = text.split(ris ? /\n(?=TY  - )/ : /\n(?=@)/);
    for (var i = 0; i < records.length; i++) {
      var head = ris ? records[i].split("\n")[1] : records[i].split("\n")[0];
      if (head === (ris ? "ID  - " + id : "@misc{" + id + ",")) { return records[i].replace(/\n*$/, "\n"); }
    }
    return null;
  }

  function entryText(url, id) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (text) {
      var entry = entryOf(url.split("?")[0], text, id);
      if (entry === null) { throw new Error("no entry"); }
      return entry;
    });
  }

  // A panel that shows the event's entry of a citation file: fetched when first shown, so a page
  // view that never opens it fetches nothing. The Copy button waits for it.
  function showEntry(element) {
    if (!element.tlShown) {
      var link = element.querySelector("a[href]");
      element.tlShown = window.fetch ? entryText(link.href, element.getAttribute("data-tl-cite-show")).then(
        function (entry) { element.querySelector("code").textContent = entry.replace(/\n$/, ""); },
        function () { /* the link to the file stays */ }) : Promise.resolve();
    }
    return element.tlShown;
  }

  function saveEntry(link, id, event) {
    if (!window.fetch || !window.Blob || !window.URL || !URL.createObjectURL) { return; }
    event.preventDefault();
    // The file is <year or month>.<format>: the entry is saved as <event id>.<format>.
    var name = id + link.pathname.split("/").pop().replace(/^[^.]*/, "");
    entryText(link.href, id).then(function (entry) {
      var save = document.createElement("a");
      save.href = URL.createObjectURL(new Blob([entry], { type: "text/plain;charset=utf-8" }));
      save.download = name;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(save.href); }, 60000);
    }).catch(function () { window.location.href = link.href; });  // the whole file, as without JavaScript
  }

  function setup() {
    var lists = document.querySelectorAll("[data-tl-cite-entry]");
    for (var d = 0; d < lists.length; d++) {
      var links = lists[d].querySelectorAll("a[download]");
      for (var l = 0; l < links.length; l++) {
        links[l].addEventListener("click", saveEntry.bind(null, links[l], lists[d].getAttribute("data-tl-cite-entry")));
      }
    }
    var notes = document.querySelectorAll("[data-tl-cite-period]");
    for (var n = 0; n < notes.length; n++) { notes[n].hidden = true; }
    var dates = document.querySelectorAll("[data-tl-access-date]");
    for (var i = 0; i < dates.length; i++) { dates[i].textContent = " |access-date=" + today(); }
    // A site built without its address shows the path; the page knows its own address once viewed.
    var own = document.querySelectorAll("a[data-tl-own-address]");
    for (var k = 0; k < own.length; k++) { own[k].textContent = own[k].href.split("#")[0]; }
    var blocks = document.querySelectorAll("[data-tl-copy]");
    for (var j = 0; j < blocks.length; j++) { addCopyButton(blocks[j]); }
    var groups = document.querySelectorAll("[data-tl-tabs]");
    for (var t = 0; t < groups.length; t++) { makeTabs(groups[t]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
