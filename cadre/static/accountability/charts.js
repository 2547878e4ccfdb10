// Statistics charts: data from the json_script element, no inline script (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  function bar(id, labels, values, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var cat = { type: "category", data: labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var val = { type: "value", minInterval: 1 };
    echarts.init(el).setOption({
      tooltip: {}, grid: { left: horizontal ? 160 : 50, right: 20, bottom: 80 },
      xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: values, itemStyle: { color: "#c0392b" } }]
    });
  }
  bar("chart-kinds", data.kinds.labels, data.kinds.values, false);
  bar("chart-units", data.units.labels, data.units.values, false);
  var forms = document.getElementById("chart-forms");
  if (forms) {
    echarts.init(forms).setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.forms }]
    });
  }
});
