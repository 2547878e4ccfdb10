/* Draws every <div class="chart" data-chart="ID"> from the JSON in <script id="ID">.
   Data shape: {categories: [...], series: [{name, data, type?, axis?}], yNames?: [..]} */
(function () {
  "use strict";
  function draw(el) {
    var src = document.getElementById(el.dataset.chart);
    if (!src || typeof echarts === "undefined") { return; }
    var d = JSON.parse(src.textContent);
    var axes = (d.yNames || [""]).map(function (name, i) {
      return { type: "value", name: name, position: i ? "right" : "left" };
    });
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 50, bottom: 90, top: 40 },
      xAxis: { type: "category", data: d.categories, axisLabel: { rotate: d.categories.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: axes,
      dataZoom: d.categories.length > 25 ? [{ type: "slider", bottom: 0, start: 0, end: Math.round(2500 / d.categories.length) }] : [],
      series: d.series.map(function (s) {
        return { name: s.name, type: s.type || "bar", data: s.data, yAxisIndex: s.axis || 0 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
