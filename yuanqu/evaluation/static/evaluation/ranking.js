/* Ranking per park type with rank intervals: for each park a bar from the 5th to the 95th percentile
   rank of the Monte Carlo, the nominal rank (◆) and the median rank (●), and the quota line.
   Data from json_script elements named by each chart's data-chart, with the chart's words in the
   page's language (data.labels, built in Python); no inline script (CSP), nothing from another host. */
(function () {
  "use strict";
  var esc = window.yuanqu.escapeHTML;

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var t = Object.assign({ interval: "名次区间（5%–95%）", nominal: "名义名次", median: "中位名次", range: "区间",
                            probability: "入选概率", selected: "（拟入选）", rank: "名次", quota: "名额", comma: "，" }, data.labels || {});
    if (!data.parks.length) { el.style.display = "none"; return; }
    el.style.height = Math.max(180, 26 * data.parks.length + 70) + "px";
    var base = [], span = [], nominal = [], median = [];
    for (var i = 0; i < data.parks.length; i++) {
      base.push(data.low[i] - 0.4);
      span.push({ value: data.high[i] - data.low[i] + 0.8,
                  itemStyle: { color: data.selected[i] ? "#1e7b3c" : "#9db4cc", opacity: 0.75 } });
      nominal.push([data.nominal[i], i]);
      median.push([data.median[i], i]);
    }
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 210, right: 40, top: 30, bottom: 30 },
      legend: { top: 0, type: "scroll", data: [t.interval, t.nominal, t.median] },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var k = items[0].dataIndex;
          var p = data.probability[k];
          return esc(data.parks[k]) + "<br>" + esc(t.nominal + " " + data.nominal[k] + t.comma + t.median + " " + data.median[k]) +
            "<br>" + esc(t.range + " " + data.low[k] + "–" + data.high[k]) +
            "<br>" + esc(t.probability + " " + (p === null ? "—" : (p * 100).toFixed(1) + "%") + (data.selected[k] ? t.selected : ""));
        }
      },
      xAxis: { type: "value", min: 0, max: data.size + 1, interval: 1, name: t.rank,
               axisLabel: { formatter: function (v) { return v >= 1 && v <= data.size ? v : ""; } } },
      yAxis: { type: "category", data: data.parks, inverse: true, axisLabel: { width: 200, overflow: "truncate" } },
      series: [
        { type: "bar", stack: "interval", data: base, itemStyle: { color: "transparent" }, silent: true, barWidth: 12 },
        { name: t.interval, type: "bar", stack: "interval", data: span, barWidth: 12,
          itemStyle: { color: "#9db4cc" },
          markLine: data.quota > 0 ? { silent: true, symbol: "none", lineStyle: { color: "#c0392b", type: "dashed" },
                                        label: { formatter: t.quota + " " + data.quota }, data: [{ xAxis: data.quota + 0.5 }] } : undefined },
        { name: t.nominal, type: "scatter", data: nominal, symbol: "diamond", symbolSize: 11, itemStyle: { color: "#1f4e79" } },
        { name: t.median, type: "scatter", data: median, symbol: "circle", symbolSize: 7, itemStyle: { color: "#e67e22" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    var charts = document.querySelectorAll(".rank-chart[data-chart]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
