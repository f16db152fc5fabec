/* The platform's service worker (docs/ui.md, "Offline"). It keeps the platform's own static files
   and one offline page, nothing else: no page a signed-in user sees is ever stored, so no one's data
   stays on a shared phone. Pages always come from the server; when it cannot be reached the offline
   page answers instead. Static files come from the server when it answers (the copy is refreshed)
   and from the copy when it does not. Another host's request is never touched. */
"use strict";
var CACHE = "yuanqu-static-{{ version }}";
var PRECACHE = {{ precache|safe }};
var OFFLINE = {{ offline|safe }};
var STATIC = {{ static_prefix|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.concat([OFFLINE]).map(function (url) {
      /* Without cookies: the offline page is the same for everyone. */
      return fetch(url, { credentials: "omit" }).then(function (response) {
        if (response.ok) { return cache.put(url, response); }
        return undefined;
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("yuanqu-static-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
    return;
  }
  if (url.pathname.indexOf(STATIC) !== 0) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (found) { return found || Response.error(); });
  }));
});
