// The 招商 funnel on the figures page: projects that reached each stage (ECharts, served locally).
(function () {
  var box = document.getElementById("funnel");
  var data = document.getElementById("funnel-data");
  if (!box || !data || !window.echarts) { return; }
  var rows = JSON.parse(data.textContent);
  var chart = window.echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "item", formatter: "{b}: {c}" },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b} {c}" }, data: rows }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
