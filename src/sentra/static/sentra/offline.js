// Offline field work: roll call, scores and the INDI 4.0 self-assessment keep working without a connection.
// Answers given offline wait in IndexedDB (the outbox) with the version and value their page showed; when the
// connection returns they are sent one by one to the page's sync URL (core/offline.py). A conflict comes back
// with both values and waits here until the user chooses. Pages marked with data-offline-cache are put in the
// cache the service worker (sw.js) serves them from when the phone is offline.
(function () {
  "use strict";
  var body = document.body;
  var status = document.querySelector(".offline-status");
  if (!status || !window.indexedDB) { return; }
  var user = body.dataset.user || "";
  var T = status.dataset;
  var sending = false;

  // --- The outbox (IndexedDB) -----------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var open = indexedDB.open("sentra-offline", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("outbox", { keyPath: "key" }); };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });

  function store(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("outbox", mode);
        var result = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  // This user's answers, oldest first (answers of someone who signed out on this phone are not theirs to send).
  function items() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return all.filter(function (i) { return i.user === user; }).sort(function (a, b) { return a.at - b.at; });
    });
  }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return store("readwrite", function (s) { s.delete(key); }); }

  // Queue an answer; a second answer to the same question replaces the first but keeps what the page showed.
  function queue(item) {
    item.user = user;
    item.key = user + "|" + item.key;
    return store("readonly", function (s) { return s.get(item.key); }).then(function (old) {
      if (old) {
        item.was = old.was;
        item.version = old.version;
        item.at = old.at;
      } else {
        item.at = Date.now();
      }
      item.state = "pending";
      var back = JSON.stringify(item.value) === JSON.stringify(item.was) && item.kind !== "submit";
      return (back ? drop(item.key) : put(item)).then(refresh);
    });
  }

  // --- Sending ------------------------------------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    try { return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function send(item) {
    var payload = Object.assign({ kind: item.kind, version: item.version, was: item.was }, item.fields);
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(payload),
    });
  }

  // Our own saved answer moved the record to a new version: later answers based on the same one follow it.
  function rebase(sent, version) {
    return items().then(function (all) {
      return Promise.all(all.filter(function (i) {
        return i.lock === sent.lock && i.key !== sent.key && i.version === sent.version;
      }).map(function (i) { i.version = version; return put(i); }));
    }).then(function () {
      document.querySelectorAll("[data-offline-version='" + sent.lock + "']").forEach(function (el) {
        el.value = String(version);
      });
    });
  }

  function flush() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var blocked = {};
    var next = function () {
      return items().then(function (all) {
        var item = all.find(function (i) {
          if (i.state !== "pending") { blocked[i.lock] = true; }
          return i.state === "pending" && !blocked[i.lock];
        });
        if (!item) { return; }
        return send(item).then(function (response) {
          if (response.redirected) { throw new Error(T.tLogin); } // the sign-in page: the session ended
          var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
          if (response.ok && json) {
            return response.json().then(function (data) {
              document.dispatchEvent(new CustomEvent("sentra:sent", { detail: item }));
              return drop(item.key).then(function () { return rebase(item, data.version); });
            }).then(refresh).then(next);
          }
          if (response.status === 404 || (json && response.status < 500)) {
            return (json ? response.json() : Promise.resolve({ message: T.tGone })).then(function (data) {
              item.state = data.status === "conflict" ? "conflict" : "invalid";
              item.problem = data;
              blocked[item.lock] = true;
              return put(item);
            }).then(refresh).then(next);
          }
          // A server error or a proxy's page: try again later.
        });
      });
    };
    return next().catch(function (error) {
      if (error && error.message === T.tLogin) { showProblem(T.tLogin); }
    }).then(function () { sending = false; });
  }

  // --- What the user sees ------------------------------------------------------------------------------------
  function refresh() {
    return items().then(function (all) {
      var counter = status.querySelector("[data-testid=offline-counter]");
      counter.querySelector("[data-offline-count]").textContent = String(all.length);
      counter.hidden = all.length === 0;
      renderProblems(all.filter(function (i) { return i.state !== "pending"; }));
      markQueued(all);
    });
  }

  function showProblem(text) {
    var list = status.querySelector("[data-offline-problem-list]");
    var li = document.createElement("li");
    li.className = "alert alert-danger py-2";
    li.textContent = text;
    list.appendChild(li);
    list.parentElement.hidden = false;
  }

  function button(text, cls, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm " + cls;
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function renderProblems(problems) {
    var box = status.querySelector("[data-testid=offline-problems]");
    var list = box.querySelector("[data-offline-problem-list]");
    list.textContent = "";
    box.hidden = problems.length === 0;
    problems.forEach(function (item) {
      var p = item.problem || {};
      var li = document.createElement("li");
      li.className = "offline-problem alert " + (item.state === "conflict" ? "alert-warning" : "alert-danger");
      li.dataset.testid = "offline-" + item.state;
      var title = document.createElement("p");
      title.className = "fw-semibold mb-1";
      title.textContent = item.label;
      var message = document.createElement("p");
      message.className = "mb-1";
      message.textContent = p.message || "";
      li.append(title, message);
      if (item.state === "conflict") {
        var dl = document.createElement("dl");
        dl.className = "offline-compare mb-2";
        [[T.tYours, p.yours, "yours"], [T.tTheirs, p.theirs, "theirs"]].forEach(function (pair) {
          var dt = document.createElement("dt");
          var dd = document.createElement("dd");
          dt.textContent = pair[0];
          dd.textContent = pair[1];
          dd.dataset.testid = "offline-" + pair[2];
          dl.append(dt, dd);
        });
        li.append(dl, button(T.tKeepMine, "btn-primary me-2", function () {
          item.state = "pending";
          item.version = p.version;
          item.was = p.stored;
          delete item.problem;
          put(item).then(refresh).then(flush);
        }), button(T.tKeepTheirs, "btn-outline-secondary", function () { resolveWithServer(item); }));
      } else {
        li.append(button(T.tDiscard, "btn-outline-secondary", function () { resolveWithServer(item); }));
      }
      list.appendChild(li);
    });
  }

  // The server's value stays; the page is reloaded to show it (served from the cache when offline).
  function resolveWithServer(item) {
    drop(item.key).then(function () { window.location.reload(); });
  }

  // --- Pages kept for offline use -----------------------------------------------------------------------------
  function cachePages() {
    var marker = document.querySelector("[data-offline-cache]");
    if (!marker || !window.caches || !navigator.onLine) { return; }
    var urls = marker.dataset.offlineCache.split(/\s+/).filter(Boolean);
    var series = marker.dataset.offlineSeries; // ".../isi/1/": the same URL for steps 1..n
    for (var n = 1; series && n <= Number(marker.dataset.offlineSeriesCount); n++) {
      urls.push(series.replace(/\/1\/$/, "/" + n + "/"));
    }
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href]").forEach(function (el) {
      urls.push(el.getAttribute("href") || el.getAttribute("src"));
    });
    // The worker fetches and keeps them (sw.js: one place writes the cache) and answers how many it kept.
    navigator.serviceWorker.ready.then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { showKept(event.data || {}); };
      registration.active.postMessage({ type: "keep", urls: urls }, [channel.port2]);
    });
  }

  // The user knows before leaving the office whether this page will open without a connection.
  function showKept(result) {
    var ready = status.querySelector("[data-testid=offline-ready]");
    var missing = status.querySelector("[data-testid=offline-not-kept]");
    var all = result.of > 0 && result.kept === result.of;
    ready.hidden = !all;
    missing.hidden = all;
  }

  function showConnection() {
    var banner = status.querySelector("[data-testid=offline-banner]");
    var capable = !!document.querySelector("[data-offline-sync]");
    banner.hidden = navigator.onLine;
    if (!navigator.onLine) {
      status.querySelectorAll("[data-testid=offline-ready], [data-testid=offline-not-kept]").forEach(function (el) {
        el.hidden = true;
      });
    }
    banner.querySelector("[data-offline-when=capable]").hidden = !capable;
    banner.querySelector("[data-offline-when=online-only]").hidden = capable;
  }

  // Page scripts (offline-training.js, offline-indi.js) show the queued answers on their forms.
  function markQueued(all) { document.dispatchEvent(new CustomEvent("sentra:outbox", { detail: all })); }
  window.SentraOffline = { queue: queue, flush: flush, T: T };

  window.addEventListener("online", function () { showConnection(); flush(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-offline-retry]")) { window.location.reload(); }
  });
  // Pages of one user must not be shown to the next one on a shared phone.
  document.querySelectorAll("[data-testid=logout]").forEach(function (el) {
    el.form.addEventListener("submit", function () {
      if (window.caches) { caches.keys().then(function (n) { n.forEach(function (k) { caches.delete(k); }); }); }
    });
  });
  if (body.dataset.sw && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(cachePages).catch(function () {});
  }
  showConnection();
  refresh().then(flush);
  setInterval(function () { flush(); }, 30000);
})();
