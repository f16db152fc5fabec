/* A park's dimension scores against its type's median and top quartile (radar chart). Data from the
   json_script element "radar-data"; no inline script (CSP), nothing from another host. */
(function () {
  "use strict";

  function draw() {
    var el = document.getElementById("radar-chart");
    var source = document.getElementById("radar-data");
    if (!el || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var colours = ["#1f4e79", "#95a5a6", "#27ae60"];
    var chart = echarts.init(el);
    chart.setOption({
      legend: { bottom: 0 },
      tooltip: {},
      radar: { indicator: data.indicators, radius: "62%" },
      series: [{
        type: "radar",
        data: data.series.map(function (s, i) {
          return { name: s.name, value: s.value, itemStyle: { color: colours[i % colours.length] },
                   lineStyle: { type: i === 0 ? "solid" : "dashed", width: i === 0 ? 3 : 1 },
                   areaStyle: i === 0 ? { opacity: 0.15 } : undefined };
        })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
