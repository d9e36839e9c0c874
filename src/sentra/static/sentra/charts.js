// The dashboard's charts, drawn by plotly.js (served from the plotly package). Each chart's data comes from a
// <script type="application/json"> block written by Django's json_script (no inline code: the CSP forbids it).
// Clicking a bar opens the filtered list behind it; "Unduh PNG" saves the chart as an image.
(function () {
  "use strict";
  if (typeof Plotly === "undefined") { return; }
  var palette = ["#0d6efd", "#d63384", "#20c997", "#fd7e14", "#6f42c1", "#198754"];

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
        text: s.values,
        texttemplate: "%{text:,}",
        textposition: "auto",
        cliponaxis: false,
        hovertemplate: "%{customdata}: %{" + (horizontal ? "x" : "y") + ":,}<extra></extra>"
      };
      trace[horizontal ? "y" : "x"] = data.labels;
      trace[horizontal ? "x" : "y"] = s.values;
      return trace;
    });
  }

  function layout(data) {
    var horizontal = data.kind === "hbar";
    var category = { type: "category", automargin: true, fixedrange: true, tickfont: { size: 11 } };
    var value = { rangemode: "tozero", automargin: true, fixedrange: true, separatethousands: true, nticks: 4 };
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
