// Roll call: keep the "n present" counter in step with the buttons htmx swaps in (no inline scripts: CSP).
document.addEventListener("htmx:afterSwap", function () {
  var counter = document.getElementById("present-count");
  if (!counter) { return; }
  counter.textContent = String(document.querySelectorAll(".rollcall-btn[data-present='1']").length);
});
