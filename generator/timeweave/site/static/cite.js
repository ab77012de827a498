/* Event pages, "Cite this event": adds the reader's access date to the Wikipedia citation (the
   day a reader looks cannot be known when the site is built), shows the page's own address as its
   permanent link when the site was built without one, and adds a Copy button to each citation.
   Without JavaScript the citations are complete except for that date, and can be selected. */
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
      var text = element.innerText.replace(/\s+$/, "");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { report(true); },
          function () { report(copyBySelection(element)); });
      } else {
        report(copyBySelection(element));
      }
    });
    element.insertAdjacentElement("afterend", status);
    element.insertAdjacentElement("afterend", button);
  }

  function setup() {
    var dates = document.querySelectorAll("[data-tl-access-date]");
    for (var i = 0; i < dates.length; i++) { dates[i].textContent = " |access-date=" + today(); }
    // A site built without its address shows the path; the page knows its own address once viewed.
    var own = document.querySelectorAll("a[data-tl-own-address]");
    for (var k = 0; k < own.length; k++) { own[k].textContent = own[k].href.split("#")[0]; }
    var blocks = document.querySelectorAll("[data-tl-copy]");
    for (var j = 0; j < blocks.length; j++) { addCopyButton(blocks[j]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
