// The dashboard's choropleth: region boundaries coloured by an indicator, drawn by Leaflet without any tile
// server (the boundaries are the map). Clicking a region drills down to its dashboard. Tooltips and the legend are
// built as DOM nodes with textContent (never HTML strings), and swatch colours are set through element.style, which
// the Content-Security-Policy allows (style attributes in markup it refuses).
(function () {
  "use strict";
  var el = document.getElementById("choropleth");
  if (!el || typeof L === "undefined") { return; }
  var select = document.getElementById("map-indicator");
  var legend = document.getElementById("choropleth-legend");
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  var layer = null;
  var colours = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

  function breaks(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var out = [];
    for (var i = 1; i < colours.length - 1; i++) {
      var limit = sorted[Math.floor((sorted.length - 1) * i / (colours.length - 1))];
      if (out.indexOf(limit) < 0 && limit < sorted[sorted.length - 1]) { out.push(limit); }
    }
    return out;
  }

  function colour(value, limits) {
    if (!value) { return "#f8f9fa"; }
    var i = 0;
    while (i < limits.length && value > limits[i]) { i++; }
    return colours[i + 1] || colours[colours.length - 1];
  }

  function legendEntry(colourValue, text) {
    legend.appendChild(document.createTextNode("\u00a0\u00a0 "));
    var swatch = document.createElement("span");
    swatch.className = "legend-swatch";
    swatch.style.background = colourValue;
    legend.appendChild(swatch);
    legend.appendChild(document.createTextNode(" " + text));
  }

  function load() {
    var url = el.dataset.url + (el.dataset.url.indexOf("?") >= 0 ? "&" : "?") + "indikator=" + encodeURIComponent(select.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var limits = breaks(data.features.map(function (f) { return f.properties.value; }));
        if (layer) { map.removeLayer(layer); }
        layer = L.geoJSON(data, {
          style: function (f) {
            return { color: "#495057", weight: 0.6, fillOpacity: 0.85, fillColor: colour(f.properties.value, limits) };
          },
          onEachFeature: function (f, l) {
            var tip = document.createElement("span");
            tip.textContent = f.properties.nama + ": " + number.format(f.properties.value);
            l.bindTooltip(tip);
            if (f.properties.url) { l.on("click", function () { window.location.href = f.properties.url; }); }
          }
        }).addTo(map);
        map.attributionControl.setPrefix(false);
        map.attributionControl.addAttribution(data.attribution);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
        legend.replaceChildren();
        var title = document.createElement("strong");
        title.textContent = data.label;
        legend.appendChild(title);
        // Each entry takes its colour from colour() itself, so the legend cannot disagree with the fills.
        legendEntry(colour(0, limits), "0");
        var lower = 0;
        limits.forEach(function (limit) {
          legendEntry(colour(limit, limits), (lower ? "> " + number.format(lower) + " – " : "1 – ") + number.format(limit));
          lower = limit;
        });
        legendEntry(colour(lower + 1, limits), "> " + number.format(lower));
      })
      .catch(function () { legend.textContent = "Peta tidak dapat dimuat; lihat tabel wilayah di bawah."; });
  }

  select.addEventListener("change", load);
  load();
})();
