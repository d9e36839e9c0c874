// Sentra's small shared script: keep behaviour in htmx attributes, this only wires Bootstrap widgets to
// content that htmx swaps in.
document.addEventListener("htmx:afterSwap", function (event) {
  event.detail.target.querySelectorAll(".alert .btn-close").forEach(function (btn) {
    btn.addEventListener("click", function () { btn.closest(".alert").remove(); });
  });
});
