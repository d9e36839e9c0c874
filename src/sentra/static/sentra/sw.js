// Sentra's service worker, served at /sw.js by core.views_pwa (which puts SENTRA_SW, its settings, above this).
// It only answers GET requests: pages and static files, so POSTs always reach the network (offline.js queues
// them). Pages the user opened for offline work are put in the cache by offline.js; here they are served
// network first (fresh when the connection holds) with the cached copy as the fallback, and the offline page
// for any other page. Static files are served from the cache first: their URLs change when they do.
/* global SENTRA_SW */
"use strict";

var CACHE = SENTRA_SW.cache;
var SLOW_MS = 4000; // a weak connection: give the cached copy after this long instead of waiting

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.add(SENTRA_SW.offlinePage); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(SENTRA_SW.staticUrl) === 0) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request));
  }
});

function staticFirst(request) {
  return caches.match(request, { ignoreVary: true }).then(function (hit) { return hit || fetch(request); });
}

// A response that came through a redirect cannot answer a navigation: copy it into a plain one.
function plain(response) {
  if (!response || !response.redirected) { return response; }
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, headers: response.headers });
  });
}

function pageNetworkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      var network = fetch(request).then(function (response) {
        if (cached && response.ok && !response.redirected) { cache.put(request, response.clone()); }
        return response;
      });
      var fallback = function () {
        return cached ? plain(cached) : cache.match(SENTRA_SW.offlinePage);
      };
      if (!cached) { return network.catch(fallback); }
      var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS); }).then(fallback);
      return Promise.race([network.catch(fallback), slow]);
    });
  });
}
