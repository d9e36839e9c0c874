// Sentra's service worker, served at /sw.js by core.views_pwa (which puts SENTRA_SW, its settings, above this).
// It only answers GET requests: pages and static files, so POSTs always reach the network (offline.js queues
// them). A page opened for offline work asks the worker (a "keep" message from offline.js) to keep it and the
// files it needs; kept pages are served network first (fresh when the connection holds) with the kept copy as
// the fallback, and the offline page for any other page. Static files are served from the cache first: their
// URLs change when they do.
//
// Every write to the cache goes through keep() here, and a page answered from the cache waits for the writes
// in flight: a put replaces its entry only once the whole new body has arrived, so a connection lost half-way
// through a download leaves the copy kept before, and a page opened offline right after a reload never finds
// its entry between the removal of the old copy and the write of the new one.
/* global SENTRA_SW */
"use strict";

var CACHE = SENTRA_SW.cache;
var SLOW_MS = 4000; // a weak connection: give the cached copy after this long instead of waiting
var WRITE_WAIT_MS = 3000; // how long a page answered from the cache waits for the cache writes in flight

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

var writing = Promise.resolve(); // settles when every write started so far has ended, well or not

function keep(cache, key, response) {
  var done = response.blob().then(function (body) {
    var copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    return cache.put(key, copy);
  });
  writing = Promise.all([writing, done.catch(function () {})]).then(function () {});
  return done;
}

function sameOrigin(url) {
  try { return new URL(url, self.location.href).origin === self.location.origin; } catch (e) { return false; }
}

// offline.js sends {type: "keep", urls: [...]} with a port; the answer says how many of them are kept now.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var port = event.ports && event.ports[0];
  var urls = data.urls.filter(sameOrigin);
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || response.redirected) { return false; } // e.g. the sign-in page: not this page
        return keep(cache, url, response).then(function () { return true; });
      }).catch(function () { return false; });
    }));
  }).then(function (results) {
    if (port) { port.postMessage({ kept: results.filter(Boolean).length, of: urls.length }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(SENTRA_SW.staticUrl) === 0) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(event, request));
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

function pageNetworkFirst(event, request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      var network = fetch(request).then(function (response) {
        if (cached && response.ok && !response.redirected) {
          event.waitUntil(keep(cache, request, response.clone()).catch(function () {}));
        }
        return response;
      });
      var fallback = function () {
        // On a slow connection the writes in flight are slow downloads: wait for them a little, not for ever.
        var settled = Promise.race([writing, new Promise(function (resolve) { setTimeout(resolve, WRITE_WAIT_MS); })]);
        return settled.then(function () { return cache.match(request, { ignoreVary: true }); }).then(function (kept) {
          return kept ? plain(kept) : cache.match(SENTRA_SW.offlinePage);
        });
      };
      if (!cached) { return network.catch(fallback); }
      var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS); }).then(fallback);
      return Promise.race([network.catch(fallback), slow]);
    });
  });
}
