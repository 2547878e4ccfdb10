// Grade distribution: data from the json_script element, no inline script (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("chart-data");
  var el = document.getElementById("chart-grades");
  if (!node || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  echarts.init(el).setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["建议等次", "确定等次"] },
    grid: { left: 40, right: 10, bottom: 30 },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "建议等次", type: "bar", data: data.proposed, itemStyle: { color: "#e59866" } },
      { name: "确定等次", type: "bar", data: data.decided, itemStyle: { color: "#c0392b" } }
    ]
  });
});
