// Completion by unit on the targets overview: data from the json_script block (CSP: no inline JS).
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("unit-chart");
    var source = document.getElementById("chart-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var rows = JSON.parse(source.textContent);
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["实际进度%", "应有进度%", "滞后任务"], bottom: 0 },
      grid: { left: 140, right: 50, top: 30, bottom: 50 },
      xAxis: [{ type: "value", max: 100, name: "%" }, { type: "value", name: "项", position: "top" }],
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      dataZoom: rows.length > 15 ? [{ type: "slider", yAxisIndex: 0, startValue: 0, endValue: 14 }] : [],
      series: [
        { name: "实际进度%", type: "bar", data: rows.map(function (r) { return r.actual; }) },
        { name: "应有进度%", type: "bar", data: rows.map(function (r) { return r.expected; }) },
        { name: "滞后任务", type: "scatter", xAxisIndex: 1,
          data: rows.map(function (r) { return r.lagging + r.at_risk; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
