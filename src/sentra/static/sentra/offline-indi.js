// The INDI 4.0 self-assessment without a connection: each answer goes to the outbox (offline.js) and the next
// question opens from the cache; the review page counts the queued answers and queues the submission too.
(function () {
  "use strict";
  var O = window.SentraOffline;
  var marker = document.querySelector("[data-offline-sync]");
  if (!O || !marker) { return; }
  var url = marker.dataset.offlineSync;
  var lock = marker.dataset.offlineLock;

  function version() { return Number(document.querySelector("[data-offline-version='" + lock + "']").value); }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-offline^=indi-]");
    if (!form || navigator.onLine) { return; }
    event.preventDefault();
    if (form.dataset.offline === "indi-submit") {
      O.queue({
        key: "indi-submit:" + url, kind: "submit", url: url, lock: lock, label: form.dataset.label,
        value: true, was: null, version: version(), fields: {},
      });
      form.querySelector("button[type=submit]").disabled = true;
      var note = form.querySelector("[data-offline-note]");
      note.textContent = O.T.tSavedHere;
      note.hidden = false;
      return;
    }
    var back = event.submitter && event.submitter.name === "back";
    var checked = form.querySelector("input[name=score]:checked");
    if (!checked && !back) {
      var error = form.querySelector("[data-offline-error]");
      error.textContent = O.T.tChooseScore;
      error.hidden = false;
      return;
    }
    var go = function () { window.location.href = back ? form.dataset.prev : form.dataset.next; };
    if (!checked) { go(); return; }
    var file = form.querySelector("input[type=file]");
    if (file && file.files.length) { window.alert(O.T.tNoFile); }
    var note = form.elements.note ? form.elements.note.value.trim() : "";
    var wasScore = form.dataset.wasScore;
    O.queue({
      key: "indi:" + url + ":" + form.dataset.question,
      kind: "answer",
      url: url,
      lock: lock,
      label: form.dataset.label,
      value: [Number(checked.value), note],
      was: wasScore === "" ? null : [Number(wasScore), form.dataset.wasNote],
      version: version(),
      fields: { question: Number(form.dataset.question), score: Number(checked.value), note: note },
    }).then(go);
  });

  document.addEventListener("sentra:outbox", function (event) {
    var answers = {};
    event.detail.forEach(function (item) {
      if (item.kind === "answer" && item.url === url) { answers[item.fields.question] = item; }
    });
    var form = document.querySelector("form[data-offline=indi-answer]");
    var mine = form && answers[form.dataset.question];
    if (mine) {
      var radio = form.querySelector("input[name=score][value='" + mine.value[0] + "']");
      if (radio) { radio.checked = true; }
      if (form.elements.note) { form.elements.note.value = mine.value[1]; }
    }
    var missing = 0;
    document.querySelectorAll("[data-indi-question]").forEach(function (row) {
      var queued = answers[row.dataset.indiQuestion];
      var link = row.querySelector("a");
      if (queued) {
        link.textContent = String(queued.value[0]);
        link.classList.replace("btn-warning", "btn-outline-primary");
        row.classList.add("offline-queued");
      } else if (!row.dataset.answered) {
        missing += 1;
      }
    });
    var submit = document.querySelector("form[data-offline=indi-submit] button[type=submit]");
    if (submit && !missing && !event.detail.some(function (i) { return i.kind === "submit" && i.url === url; })) {
      submit.disabled = false;
      var warning = document.querySelector("[data-indi-missing]");
      if (warning) { warning.hidden = true; }
    }
  });

  document.addEventListener("sentra:sent", function (event) {
    var form = document.querySelector("form[data-offline=indi-answer]");
    var item = event.detail;
    if (form && item.kind === "answer" && String(item.fields.question) === form.dataset.question) {
      form.dataset.wasScore = String(item.value[0]);
      form.dataset.wasNote = item.value[1];
    }
  });
})();
