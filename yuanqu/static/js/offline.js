/* Registers the platform's service worker (its URL on the script tag's data-sw), which keeps the
   platform's own static files and an offline page for a phone without network (docs/ui.md). */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-sw");
  if (!url || !("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () { /* the site works without it */ });
  });
})();
