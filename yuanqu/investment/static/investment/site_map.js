// The 智慧选址 map: each matched 载体 at its own coordinates (a circle), those without coordinates at
// their park's centre (a square, one per park; the page says so), over the city's basemap (ECharts
// and the basemap are served by the platform itself).
(function () {
  var box = document.getElementById("site-map");
  var data = document.getElementById("site-map-data");
  if (!box || !data || !window.echarts) { return; }
  var points = JSON.parse(data.textContent);
  fetch(box.dataset.basemap, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (basemap) {
    window.echarts.registerMap("site-map", basemap);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var esc = window.yuanqu.escapeHTML;
          if (!p.data || !p.data.feasible) { return esc(p.name || ""); }
          if (p.data.own) { return esc(p.data.name) + (p.data.feasible.length ? " ✓" : " ✗"); }
          return esc(p.data.name + "：" + p.data.feasible.length + " / " + (p.data.feasible.length + p.data.infeasible) +
            (p.data.feasible.length ? "（" + p.data.feasible.join("、") + "）" : ""));
        }
      },
      geo: { map: "site-map", roam: true, itemStyle: { areaColor: "#eef1f5", borderColor: "#8a96a8" }, label: { show: true, color: "#5b6776" } },
      series: [{
        type: "scatter", coordinateSystem: "geo", data: points,
        symbol: function (value, p) { return p.data.own ? "circle" : "rect"; },
        symbolSize: function (value) { return 8 + Math.min(value[2] * 4, 30); },
        itemStyle: { color: function (p) { return p.data.feasible.length ? "#27ae60" : "#95a5a6"; } }
      }]
    });
    box.dataset.ready = String(points.length);
    window.addEventListener("resize", function () { chart.resize(); });
  }).catch(function () { box.dataset.ready = "0"; });
})();
