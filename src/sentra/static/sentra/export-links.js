// Export buttons export what the list shows: the list's filters live in the address bar (htmx pushes them),
// so the link takes the current query string at click time and only sets the format.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-export-format]");
  if (!link) { return; }
  var params = new URLSearchParams(window.location.search);
  params.delete("cursor");
  params.set("format", link.dataset.exportFormat);
  link.href = link.pathname + "?" + params.toString();
});
