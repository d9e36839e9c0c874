// The dashboard's charts, drawn by plotly.js (served from the plotly package). Each chart's data comes from a
// <script type="application/json"> block written by Django's json_script (no inline code: the CSP forbids it).
// Clicking a bar opens the filtered list behind it; "Unduh PNG" saves the chart as an image.
(function () {
  "use strict";
  if (typeof Plotly === "undefined") { return; }
  var palette = ["#0d6efd", "#d63384", "#20c997", "#fd7e14", "#6f42c1", "#198754"];
  // Indonesian units (ribu, juta, miliar, triliun), as core.formatting.format_compact writes them: plotly's own
  // SI suffixes would print "5B" (billion, English) or "5G".
  var units = [[1e12, "T"], [1e9, "M"], [1e6, "jt"], [1e3, "rb"]];
  var decimal = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

  function compact(value) {
    var size = Math.abs(value);
    for (var i = 0; i < units.length; i++) {
      if (size >= units[i][0]) {
        var scaled = value / units[i][0];
        return (Math.abs(scaled) < 10 ? decimal : whole).format(scaled) + " " + units[i][1];
      }
    }
    return decimal.format(value);
  }

  function niceStep(max, count) {
    var raw = max / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * power >= raw) { return steps[i] * power; } }
    return 10 * power;
  }

  function valueAxis(data) {
    var max = 0;
    data.series.forEach(function (s) { s.values.forEach(function (v) { if (v > max) { max = v; } }); });
    var axis = { rangemode: "tozero", automargin: true, fixedrange: true };
    if (max <= 0) { return axis; }
    var step = niceStep(max, 4);
    var ticks = [];
    for (var v = 0; v <= max + step / 2; v += step) { ticks.push(v); }
    axis.range = [0, max * 1.18];  // room for the value printed past the longest bar
    axis.tickmode = "array";
    axis.tickvals = ticks;
    axis.ticktext = ticks.map(compact);
    return axis;
  }

  function narrow(el) { return el.clientWidth < 500; }

  function longLabels(data) {
    return data.labels.some(function (label) { return String(label).length > 8; });
  }

  function read(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return null; }
    try { return JSON.parse(source.textContent); } catch (e) { return null; }
  }

  function traces(data) {
    var horizontal = data.kind === "hbar";
    var single = data.series.length === 1;
    return data.series.map(function (s, i) {
      var colours = single && data.key === "workforce" ? palette.slice(0, s.values.length) : palette[i % palette.length];
      var trace = {
        type: "bar",
        name: s.name,
        orientation: horizontal ? "h" : "v",
        marker: { color: colours },
        customdata: data.hover,
        text: s.values.map(compact),
        textposition: "outside",
        textangle: 0,
        textfont: { size: 12 },
        cliponaxis: false,
        hovertext: s.values.map(function (v) { return whole.format(v); }),
        hovertemplate: "%{customdata}: %{hovertext}<extra></extra>"
      };
      trace[horizontal ? "y" : "x"] = data.labels;
      trace[horizontal ? "x" : "y"] = s.values;
      return trace;
    });
  }

  function layout(data) {
    var horizontal = data.kind === "hbar";
    // Category labels stay level and legible (12 px): long labels on a narrow screen become a horizontal chart.
    var category = { type: "category", automargin: true, fixedrange: true, tickfont: { size: 12 }, tickangle: 0 };
    var value = valueAxis(data);
    if (horizontal) { category.autorange = "reversed"; }
    return {
      height: horizontal ? Math.max(220, 24 * data.labels.length + 60) : 240,
      margin: { l: 8, r: 8, t: 8, b: 8 },
      separators: ",.",
      showlegend: data.series.length > 1,
      legend: { orientation: "h" },
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 12 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: horizontal ? value : category,
      yaxis: horizontal ? category : value,
      bargap: 0.25
    };
  }

  function draw(el) {
    var data = read(el);
    if (!data || !data.labels.length) {
      el.classList.add("sentra-chart-empty");
      return;
    }
    if (data.kind === "bar" && narrow(el) && (longLabels(data) || data.labels.length > 6)) { data.kind = "hbar"; }
    Plotly.newPlot(el, traces(data), layout(data), {
      responsive: true,
      displayModeBar: false,
      displaylogo: false,
      staticPlot: false
    }).then(function () {
      el.dataset.drawn = "1";
      var button = document.querySelector('[data-chart-png="' + el.id + '"]');
      if (button) { button.hidden = false; }
    });
    if (data.urls.some(function (u) { return !!u; })) {
      el.classList.add("sentra-chart-clickable");
      el.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point ? data.urls[point.pointIndex] : "";
        if (url) { window.location.href = url; }
      });
    }
  }

  document.querySelectorAll(".sentra-chart[data-chart]").forEach(draw);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-chart-png]");
    if (!button) { return; }
    var el = document.getElementById(button.dataset.chartPng);
    if (!el || !el.dataset.drawn) { return; }
    Plotly.downloadImage(el, { format: "png", filename: button.dataset.filename || el.id, width: 900, height: 500, scale: 1 });
  });
})();
