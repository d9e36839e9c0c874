// Roll call and scores without a connection: taps and typed scores go to the outbox (offline.js) and the page
// shows them at once; they are sent when the connection returns.
(function () {
  "use strict";
  var O = window.SentraOffline;
  var marker = document.querySelector("[data-offline-sync]");
  if (!O || !marker) { return; }
  var url = marker.dataset.offlineSync;

  function versionOf(pk) {
    var input = document.querySelector("[data-offline-version='participant-" + pk + "']");
    return input ? Number(input.value) : null;
  }

  // --- Roll call: one form per mark (the day's buttons and the grid's cells) ----------------------------------
  function readWas(raw) { return raw === "1" ? true : raw === "0" ? false : null; }

  function showMark(form, present, queued) {
    var button = form.querySelector("button[type=submit]");
    form.querySelector("input[name=present]").value = present ? "0" : "1";
    button.setAttribute("aria-pressed", present ? "true" : "false");
    button.dataset.present = present ? "1" : "0";
    button.classList.remove("btn-success", "btn-outline-secondary", "btn-outline-danger");
    button.classList.add(present ? "btn-success" : "btn-outline-secondary");
    var glyph = form.querySelector(".rollcall-mark") || button;
    glyph.textContent = present ? "✓" : "·";
    form.classList.toggle("offline-queued", queued);
    var count = document.getElementById("present-count");
    if (count) { count.textContent = String(document.querySelectorAll(".rollcall-btn[data-present='1']").length); }
  }

  function takeMark(form) {
    var present = form.querySelector("input[name=present]").value === "1";
    var pk = form.dataset.participant;
    var day = form.dataset.day;
    showMark(form, present, true);
    O.queue({
      key: "attendance:" + url + ":" + pk + ":" + day,
      kind: "attendance",
      url: url,
      lock: "participant-" + pk,
      label: form.dataset.label,
      value: present,
      was: readWas(form.dataset.was),
      version: versionOf(pk),
      fields: { participant: Number(pk), day: Number(day), present: present },
    });
  }

  function markForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-offline=attendance]") : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = markForm(event);
    if (form && !navigator.onLine) {
      event.preventDefault();
      takeMark(form);
    }
  });
  // The connection dropped while the tap was on its way: keep it (sent again, it is recognised if it arrived).
  document.addEventListener("htmx:sendError", function (event) {
    var form = markForm(event);
    if (form) { takeMark(form); }
  });

  // --- Scores: the whole form, one answer per changed row -------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-offline=scores]");
    if (!form || navigator.onLine) { return; }
    event.preventDefault();
    form.querySelectorAll("input[name^=version_]").forEach(function (input) {
      var pk = input.name.slice("version_".length);
      var value = ["pre", "post"].map(function (k) { return form.elements[k + "_" + pk].value.trim(); });
      var was = ["pre", "post"].map(function (k) { return form.elements["was_" + k + "_" + pk].value.trim(); });
      if (value[0] === was[0] && value[1] === was[1]) { return; }
      O.queue({
        key: "scores:" + url + ":" + pk,
        kind: "scores",
        url: url,
        lock: "participant-" + pk,
        label: form.querySelector("label[for=post_" + pk + "]").textContent,
        value: value,
        was: was.map(function (w) { return w || null; }),
        version: versionOf(pk),
        fields: { participant: Number(pk), pre: value[0] || null, post: value[1] || null },
      });
    });
    var note = form.querySelector("[data-offline-note]");
    note.textContent = O.T.tSavedHere;
    note.hidden = false;
  });

  // --- Queued answers shown on the page (also after reloading it from the cache) ------------------------------
  document.addEventListener("sentra:outbox", function (event) {
    var queued = {};
    event.detail.forEach(function (item) { queued[item.kind + ":" + JSON.stringify(item.fields.participant) + ":" + (item.fields.day || "")] = item; });
    document.querySelectorAll("form[data-offline=attendance]").forEach(function (form) {
      var item = queued["attendance:" + form.dataset.participant + ":" + form.dataset.day];
      if (item) { showMark(form, item.value, true); } else { form.classList.remove("offline-queued"); }
    });
    document.querySelectorAll("form[data-offline=scores] input[name^=version_]").forEach(function (input) {
      var pk = input.name.slice("version_".length);
      var item = queued["scores:" + pk + ":"];
      var row = input.closest("tr");
      row.classList.toggle("offline-queued", !!item);
      if (item) {
        input.form.elements["pre_" + pk].value = item.value[0];
        input.form.elements["post_" + pk].value = item.value[1];
      }
    });
  });

  // A sent answer is what the server holds now: the next change is based on it.
  document.addEventListener("sentra:sent", function (event) {
    var item = event.detail;
    if (item.kind === "attendance") {
      var form = document.querySelector(
        "form[data-offline=attendance][data-participant='" + item.fields.participant + "'][data-day='" + item.fields.day + "']"
      );
      if (form) { form.dataset.was = item.value ? "1" : "0"; }
    } else if (item.kind === "scores") {
      var scores = document.querySelector("form[data-offline=scores]");
      if (scores) {
        scores.elements["was_pre_" + item.fields.participant].value = item.value[0];
        scores.elements["was_post_" + item.fields.participant].value = item.value[1];
      }
    }
  });
})();
