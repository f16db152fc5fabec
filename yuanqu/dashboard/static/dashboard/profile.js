/* 一园一档 charts: the park's indicators over the years (one small chart each) and its monthly
   1–本月累计 values against the same months last year. Data from json_script "profile-data"; the
   boundary map is drawn by js/park-map.js. The charts' words come in the page's language with the
   data (data.labels, built in Python). */
(function () {
  "use strict";
  var charts = [];
  var T = { no_values: "暂无指标值", no_monthly: "暂无月度数据", previous: "上年同期", current: "本年",
            yoy: "{name}同比", yoy_axis: "同比%", units: {} };

  function unitLabel(unit) { return T.units[unit] || unit; }

  function drawLines(el, lines) {
    var shown = lines.slice(0, 6);
    if (!shown.length) { el.textContent = T.no_values; el.dataset.ready = "0"; return; }
    var columns = Math.min(3, shown.length);
    var rows = Math.ceil(shown.length / columns);
    el.style.height = (rows * 190) + "px";
    var option = { tooltip: { trigger: "axis" }, title: [], grid: [], xAxis: [], yAxis: [], series: [] };
    shown.forEach(function (line, i) {
      var col = i % columns, row = Math.floor(i / columns);
      var left = col * (100 / columns), top = row * (100 / rows);
      option.title.push({ text: line.name + "（" + unitLabel(line.unit) + "）", left: (left + 1) + "%", top: top + "%",
                          textStyle: { fontSize: 12, fontWeight: 600 } });
      option.grid.push({ left: (left + 7) + "%", width: (100 / columns - 10) + "%", top: (top + 100 / rows * 0.2) + "%",
                         height: (100 / rows * 0.62) + "%" });
      option.xAxis.push({ type: "category", gridIndex: i, data: line.years.map(String), axisLabel: { fontSize: 10 } });
      option.yAxis.push({ type: "value", gridIndex: i, scale: true, axisLabel: { fontSize: 10 } });
      option.series.push({ name: line.name, type: "line", xAxisIndex: i, yAxisIndex: i, data: line.values,
                           connectNulls: false, symbolSize: 6, itemStyle: { color: "#1f4e79" } });
    });
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
    el.dataset.ready = String(shown.length);
  }

  function drawMonthly(el, trends) {
    if (!trends.length || !trends[0].labels.length) { el.textContent = T.no_monthly; el.dataset.ready = "0"; return; }
    var first = trends[0];
    var series = [
      { name: T.previous, type: "bar", data: first.previous, itemStyle: { color: "#a9bdd6" } },
      { name: T.current, type: "bar", data: first.values, itemStyle: { color: "#1f4e79" } }
    ];
    trends.forEach(function (t, i) {
      series.push({ name: T.yoy.replace("{name}", short(t.name)), type: "line", yAxisIndex: 1, data: t.growth, connectNulls: true,
                    itemStyle: { color: ["#c0392b", "#e67e22"][i % 2] } });
    });
    var chart = echarts.init(el);
    chart.setOption({
      /* One legend line that scrolls: longer English names never wrap onto the axis titles. */
      tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll", textStyle: { fontSize: 11 } },
      grid: { left: 10, right: 10, top: 56, bottom: 6, containLabel: true },
      xAxis: { type: "category", data: first.labels },
      yAxis: [{ type: "value", name: short(first.name) + "（" + unitLabel(first.unit) + "）" }, { type: "value", name: T.yoy_axis, splitLine: { show: false } }],
      series: series
    });
    charts.push(chart);
    el.dataset.ready = String(first.labels.length);
  }

  function short(name) { return name.replace(/（.*?）/g, ""); }

  document.addEventListener("DOMContentLoaded", function () {
    window.yuanqu.charts.keepSized(charts);
    var source = document.getElementById("profile-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    T = Object.assign(T, data.labels || {});
    var lines = document.getElementById("profile-lines");
    if (lines) { drawLines(lines, data.lines); }
    var monthly = document.getElementById("trend-monthly");
    if (monthly) { drawMonthly(monthly, data.monthly); }
  });
})();
