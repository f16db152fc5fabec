/* The one HTML escape for scripts that build markup from data (chart tooltips, labels): names of
   parks, districts, indicators and enterprises are data and never markup. Loaded by base.html before
   any page script; use it as yuanqu.escapeHTML(value) on every value placed into an HTML string. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  function escapeHTML(value) {
    if (value === null || value === undefined) { return ""; }
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  window.yuanqu = Object.assign(window.yuanqu || {}, { escapeHTML: escapeHTML });
})();
