/* The target board: progress of every 2027 goal against the time elapsed, coloured by status.
   Clicking a bar opens the target's page. Data from the "board-data" json_script element. */
(function () {
  "use strict";
  var esc = window.yuanqu.escapeHTML;
  var COLOURS = { achieved: "#27ae60", on_track: "#2e86de", lagging: "#f39c12", seriously_lagging: "#c0392b", none: "#95a5a6" };

  function draw() {
    var el = document.getElementById("board-chart");
    var source = document.getElementById("board-data");
    if (!el || !source || typeof echarts === "undefined") { return; }
    var rows = JSON.parse(source.textContent);
    // Labels in the page's language, from the chart element's data-label-* attributes; Chinese when absent.
    var L = el.dataset;
    var PROGRESS = L.labelProgress || "目标进度", ELAPSED = L.labelElapsed || "时间进度";
    var names = rows.map(function (r) { return r.name; });
    var progress = rows.map(function (r) {
      var shown = r.progress === null ? 0 : Math.max(-20, Math.min(120, r.progress));
      return { value: shown, itemStyle: { color: COLOURS[r.status] || COLOURS.none }, url: r.url, raw: r };
    });
    var elapsed = rows.map(function (r) { return r.elapsed; });
    el.style.height = Math.max(360, rows.length * 30 + 80) + "px";
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var r = items[0].data.raw;
          return esc(r.name) + "<br>" + esc((L.labelStatus || "状态：") + r.status_name) +
            "<br>" + esc((L.labelRatio || "进度：") + (r.progress === null ? "—" : r.progress.toFixed(1) + "%")) +
            "<br>" + esc((L.labelElapsedOf || "时间进度：") + (r.elapsed === null ? "—" : r.elapsed.toFixed(1) + "%")) +
            "<br>" + esc((L.labelLatest || "最新值：") + r.latest);
        }
      },
      legend: { data: [PROGRESS, ELAPSED], top: 0 },
      grid: { left: 260, right: 40, top: 30, bottom: 20 },
      xAxis: { type: "value", min: -20, max: 120, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 240, overflow: "truncate" } },
      series: [
        { name: PROGRESS, type: "bar", data: progress, barWidth: 14 },
        { name: ELAPSED, type: "scatter", data: elapsed, symbol: "diamond", symbolSize: 10, itemStyle: { color: "#34495e" } }
      ]
    });
    chart.on("click", function (params) { if (params.data && params.data.url) { window.location.href = params.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
