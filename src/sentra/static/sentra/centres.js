// Centre map: markers (clustered) on a plain background, so the map works with no tile server reachable.
// An online base map is an optional layer (layers control). Data comes from a json_script element (no inline JS).
// Names are user text: popups and tooltips get DOM nodes filled with textContent, never an HTML string (Leaflet puts
// a string into innerHTML).
(function () {
  "use strict";
  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  var el = document.getElementById("centre-map");
  var dataEl = document.getElementById("centre-points");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var points = JSON.parse(dataEl.textContent || "[]");
  var map = L.map(el, { zoomControl: true, attributionControl: true, minZoom: 3, maxZoom: 18 });
  var plain = L.layerGroup();  // no tiles: the container's CSS background shows through
  plain.addTo(map);
  var tiles = L.tileLayer(el.dataset.tilesUrl, { maxZoom: 18, attribution: el.dataset.attribution });
  var baseLayers = {};
  baseLayers[el.dataset.plainLabel] = plain;
  baseLayers[el.dataset.tilesLabel] = tiles;
  L.control.layers(baseLayers, null, { collapsed: true }).addTo(map);
  var group = (typeof L.markerClusterGroup === "function") ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.featureGroup();
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], { radius: 9, weight: 2, color: "#0d6efd", fillColor: "#6ea8fe", fillOpacity: 0.9 });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    var box = document.createElement("div");
    box.appendChild(link);
    var info = document.createElement("div");
    info.className = "small text-muted";
    info.textContent = p.status + (p.occupancy ? " · " + p.occupancy : "");
    box.appendChild(info);
    marker.bindPopup(box);
    marker.bindTooltip(textNode(p.name));
    group.addLayer(marker);
  });
  // The view must be set before the cluster layer is added (it reads the zoom when added).
  if (points.length) {
    var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lng]; }));
    map.fitBounds(bounds.pad(0.3), { maxZoom: 14 });
  } else {
    map.setView([-2.5, 118], 4);  // Indonesia
  }
  group.addTo(map);
  el.setAttribute("data-ready", String(points.length));
})();
