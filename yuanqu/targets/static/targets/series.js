/* One indicator's trend (year values, and month values where they compare), and on a target page the
   2027 goal, the fitted trend and the projection with its interval. Data from a json_script element;
   no inline script (CSP), nothing from another host. */
(function () {
  "use strict";

  function load(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw() {
    var el = document.getElementById("series-chart");
    var data = load("series-data");
    if (!el || !data || typeof echarts === "undefined") { return; }
    // Series names in the page's language (the view translates them); Chinese when absent.
    var L = data.labels || {};
    var series = [
      { name: L.years || "年度值", type: "line", data: data.years, symbolSize: 8, lineStyle: { width: 3 }, itemStyle: { color: "#1f4e79" } }
    ];
    if (data.months && data.months.length) {
      series.push({ name: L.months || "月度值（累计/月末）", type: "line", data: data.months, symbolSize: 3,
                    lineStyle: { width: 1, type: "dotted" }, itemStyle: { color: "#7f8c8d" } });
    }
    if (data.projection) {
      var p = data.projection;
      series.push({ name: L.trend || "趋势与预测", type: "line", data: p.fitted, symbol: "none",
                    lineStyle: { type: "dashed", width: 2 }, itemStyle: { color: "#e67e22" } });
      series.push({ name: L.projection || "2027年预测", type: "scatter", data: [[p.at, p.value]], symbolSize: 12, itemStyle: { color: "#e67e22" } });
      if (p.low !== null && p.high !== null) {
        series.push({ name: L.interval || "预测区间（90%）", type: "line", data: [[p.at, p.low], [p.at, p.high]], symbol: "rect",
                      symbolSize: [12, 2], lineStyle: { width: 6, opacity: 0.35 }, itemStyle: { color: "#e67e22" } });
      }
    }
    var markLine = null;
    if (data.goal !== null && data.goal !== undefined) {
      markLine = { silent: true, symbol: "none", lineStyle: { color: "#c0392b", type: "solid" },
                   label: { formatter: (L.goal || "目标") + " " + data.goal + " " + data.unit }, data: [{ yAxis: data.goal }] };
      series[0].markLine = markLine;
    }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " " + data.unit; } },
      /* One legend line that scrolls, clear of the axis title: English names never wrap onto it. */
      legend: { top: 0, type: "scroll" },
      grid: { left: 70, right: 30, top: 56, bottom: 40 },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: data.unit, scale: true },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
