// Charts of the figures pages: reads the data the page put in <script id="figures-data">
// (json_script; the CSP allows no inline script) and draws one bar chart per group with
// ECharts (static/vendor/echarts-*/), this period against the same period a year earlier,
// and, for a city, each district side by side.
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  var holder = document.getElementById("figures-charts");
  if (!source || !holder || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function box(title) {
    var col = document.createElement("div");
    col.className = "col-12 col-lg-6";
    var card = document.createElement("div");
    card.className = "card";
    var body = document.createElement("div");
    body.className = "card-body";
    var heading = document.createElement("h2");
    heading.className = "h6";
    heading.textContent = title;
    var area = document.createElement("div");
    area.className = "figures-chart";
    area.style.height = "260px";
    body.appendChild(heading);
    body.appendChild(area);
    card.appendChild(body);
    col.appendChild(card);
    holder.appendChild(col);
    return area;
  }

  function bars(area, labels, series) {
    // The wall screen asks for the dark theme (data-theme="dark" on the holder).
    var chart = window.echarts.init(area, holder.getAttribute("data-theme") || null);
    chart.setOption({
      backgroundColor: "transparent",
      // Tooltips drawn on the canvas: HTML ones carry style attributes the CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 30, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    charts.push(chart);
  }

  (data.groups || []).forEach(function (group) {
    bars(box(group.name), group.labels, [
      { name: data.period, type: "bar", data: group.values },
      { name: data.previous, type: "bar", data: group.previous }
    ]);
  });
  if (data.rollup) {
    bars(box(data.rollup.label), data.rollup.names, [
      { name: data.period, type: "bar", data: data.rollup.values }
    ]);
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
