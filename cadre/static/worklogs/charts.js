// Draws the compliance chart from the JSON the page embeds (no inline script: strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("compliance-chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["完整率(%)", "审阅率(%)", "补填(篇)"] },
    grid: { left: 50, right: 60, bottom: 90 },
    xAxis: { type: "category", data: data.units, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [
      { type: "value", name: "%", min: 0, max: 100 },
      { type: "value", name: "篇", position: "right" }
    ],
    series: [
      { name: "完整率(%)", type: "bar", data: data.completeness, itemStyle: { color: "#198754" } },
      { name: "审阅率(%)", type: "bar", data: data.reviewed, itemStyle: { color: "#0d6efd" } },
      { name: "补填(篇)", type: "line", yAxisIndex: 1, data: data.late, itemStyle: { color: "#dc3545" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
