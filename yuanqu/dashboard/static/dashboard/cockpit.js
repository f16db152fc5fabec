/* The cockpit's and the district page's charts, drawn with ECharts from data the page carries in
   <script type="application/json" id="cockpit-data"> (json_script) plus our own GeoJSON: the district
   basemap and the park polygons (registry endpoints, scoped to the user). Parks are coloured by type
   or by the chosen indicator; a click opens the park's 一园一档. The charts' words come in the page's
   language with the data (data.labels, built in Python). Nothing from another host. */
(function () {
  "use strict";
  var esc = window.yuanqu.escapeHTML;
  var shared = window.yuanqu.charts;
  var T = { no_data: "无数据", no_monthly: "暂无月度数据", no_annual: "暂无年度数据", previous: "上年同期",
            current: "本年", yoy: "{name}同比", yoy_axis: "同比%", map_failed: "地图数据加载失败：", colon: "：",
            rank: "（第{rank}名）", units: {} };

  function unitLabel(unit) { return T.units[unit] || unit; }
  var LOW = [222, 235, 247], HIGH = [8, 48, 107];
  var charts = [];

  function dark() {
    var root = document.querySelector(".cockpit");
    return !!(root && root.classList.contains("screen"));
  }

  function textColour() { return dark() ? "#dce6f2" : "#1d2733"; }

  /* Chart type in pixels: 11 on the pages; on the 大屏 it follows the screen's own type size, which
     scales with the wall (screen.css), so a 4K wall reads as well as a 1080p one. */
  function fontSize(scale) {
    var root = document.querySelector(".cockpit.screen");
    var base = root ? parseFloat(window.getComputedStyle(root).fontSize) * 0.85 : 11;
    return Math.round(base * (scale || 1));
  }

  function fmt(value) {
    if (value === null || value === undefined) { return T.no_data; }
    var size = Math.abs(value);
    var digits = size >= 1000 ? 0 : (size >= 100 ? 1 : 2);
    return value.toLocaleString("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  /* 万元 figures of a whole city run to tens of millions: shown in 亿元 on the axes. The choice is made
     once for the page (inYi), so neighbouring charts never mix 亿元 and 万元. */
  var inYi = false;

  function largest(trend) {
    return Math.max.apply(null, trend.values.concat(trend.previous).filter(function (v) { return v !== null; }).concat([0]));
  }

  function chooseUnits(trends) {
    inYi = trends.some(function (t) { return t.unit === "万元" && largest(t) >= 100000; });
  }

  function scaled(trend) {
    if (trend.unit !== "万元" || !inYi) { return trend; }
    function div(v) { return v === null ? null : Math.round(v / 100) / 100; }
    return Object.assign({}, trend, { unit: "亿元", values: trend.values.map(div), previous: trend.previous.map(div) });
  }

  function mix(t) {
    var c = LOW.map(function (low, i) { return Math.round(low + (HIGH[i] - low) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  /* Colour by rank among the parks with a value (quantiles), so one very large park does not wash
     out the others; darker is a higher value. */
  function valueColours(parks) {
    var present = parks.filter(function (p) { return p.value !== null; })
      .sort(function (a, b) { return a.value - b.value; });
    var colours = {};
    present.forEach(function (p, i) {
      colours[p.code] = mix(present.length > 1 ? i / (present.length - 1) : 1);
    });
    return colours;
  }

  function drawMap(el, data, basemap, geo) {
    var wanted = {};
    data.parks.forEach(function (p) { wanted[p.code] = p; });
    var features = basemap.features.map(function (f) {
      return { type: "Feature", properties: { name: f.properties.name }, geometry: f.geometry };
    });
    var byValue = data.colour === "indicator" ? valueColours(data.parks) : null;
    var unit = data.indicator.unit;
    /* A park's tooltip, carried by its region (charts.parkRegion). */
    function describe(params) {
      var p = wanted[params.name];
      if (!p) { return esc(params.name); }
      return esc(p.name) + "<br>" + esc(p.type_label) + " · " + esc(p.district) + "<br>" + esc(data.indicator.name) +
        esc(T.colon) + esc(fmt(p.value)) + (p.value === null ? "" : " " + esc(unitLabel(unit))) +
        (p.rank ? esc(T.rank.replace("{rank}", p.rank)) : "");
    }
    var regions = [];
    var drawn = [];
    geo.features.forEach(function (f) {
      var p = wanted[f.properties.code];
      if (!p) { return; }
      drawn.push(f);
      features.push({ type: "Feature", properties: { name: p.code }, geometry: f.geometry });
      var colour = byValue ? (byValue[p.code] || "#bbbbbb") : (shared.TYPE_COLOURS[p.type] || "#999999");
      regions.push(shared.parkRegion(p.code, colour, dark() ? "#ffffff" : "#333333", describe));
    });
    var chart = shared.drawGeo(el, "cockpit-" + el.id, features, {
      /* District names on the map; the parks' own regions carry no label (their codes). */
      label: { show: true, color: dark() ? "#8ea3bd" : "#5b6776", fontSize: fontSize() },
      layoutCenter: ["50%", "50%"], layoutSize: "96%",
      itemStyle: { areaColor: dark() ? "#16304f" : "#eef1f5", borderColor: dark() ? "#3d5f8a" : "#8a96a8", borderWidth: 0.8 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: dark() ? "#1d3c63" : "#dde4ee" } },
      regions: regions,
      boundingCoords: el.dataset.fit === "parks" && drawn.length ? shared.fitBox(drawn, 0.15) : null
    }, function (code) {
      return wanted[code] && data.profile ? data.profile + encodeURIComponent(code) + "/" : "";
    });
    charts.push(chart);
    el.dataset.ready = String(drawn.length);
  }

  function axisStyle() {
    return { axisLabel: { color: textColour(), fontSize: fontSize() }, axisLine: { lineStyle: { color: "#8a96a8" } },
             splitLine: { lineStyle: { color: dark() ? "#1f3a61" : "#e5e8ec" } } };
  }

  function drawMonthly(el, trends) {
    if (!trends.length || !trends[0].labels.length) { el.textContent = T.no_monthly; el.dataset.ready = "0"; return; }
    trends = trends.map(scaled);
    var first = trends[0];
    var series = [
      { name: T.previous, type: "bar", data: first.previous, itemStyle: { color: "#a9bdd6" } },
      { name: T.current, type: "bar", data: first.values, itemStyle: { color: "#1f4e79" } }
    ];
    var palette = ["#c0392b", "#e67e22", "#8e44ad"];
    trends.forEach(function (t, i) {
      series.push({ name: T.yoy.replace("{name}", short(t.name)), type: "line", yAxisIndex: 1, data: t.growth, connectNulls: true,
                    itemStyle: { color: palette[i % palette.length] } });
    });
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      /* One legend line (it scrolls rather than wraps onto the axis names). */
      legend: { top: 0, type: "scroll", textStyle: { color: textColour(), fontSize: fontSize() },
                pageTextStyle: { color: textColour() } },
      grid: { left: 10, right: 10, top: fontSize() * 4.5, bottom: 6, containLabel: true },
      xAxis: Object.assign({ type: "category", data: first.labels }, axisStyle()),
      yAxis: [Object.assign({ type: "value", name: short(first.name) + "（" + unitLabel(first.unit) + "）",
                             nameTextStyle: { color: textColour(), fontSize: fontSize(), align: "left" } }, axisStyle()),
              Object.assign({ type: "value", name: T.yoy_axis, nameTextStyle: { color: textColour(), fontSize: fontSize(), align: "right" } },
                            axisStyle(), { splitLine: { show: false } })],
      series: series
    });
    charts.push(chart);
    el.dataset.ready = String(first.labels.length);
  }

  function drawAnnual(el, trends) {
    var shown = trends.filter(function (t) { return t.labels.length; }).map(scaled);
    if (!shown.length) { el.textContent = T.no_annual; el.dataset.ready = "0"; return; }
    var width = 100 / shown.length;
    var option = { tooltip: { trigger: "axis" }, title: [], grid: [], xAxis: [], yAxis: [], series: [] };
    shown.forEach(function (t, i) {
      option.title.push({ text: t.name + "（" + unitLabel(t.unit) + "）", left: (i * width + 1) + "%", top: 0,
                          textStyle: { fontSize: fontSize(1.1), color: textColour(), fontWeight: 600 } });
      option.grid.push({ left: (i * width + 1) + "%", width: (width - 3) + "%", top: fontSize() * 2.8, bottom: 4, containLabel: true });
      option.xAxis.push(Object.assign({ type: "category", gridIndex: i, data: t.labels }, axisStyle()));
      option.yAxis.push({ type: "value", gridIndex: i, axisLabel: { color: textColour(), fontSize: fontSize(0.9) },
                          splitLine: axisStyle().splitLine });
      option.series.push({ name: t.name, type: "bar", xAxisIndex: i, yAxisIndex: i, data: t.values, itemStyle: { color: "#1f4e79" } });
    });
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
    el.dataset.ready = String(shown.length);
  }

  function short(name) { return name.replace(/（.*?）/g, ""); }

  /* 大屏: 诉求统计 by district (most cases first), each bar finished, open and open past the deadline,
     with the numbers written on the bars so they read across the room. */
  function drawScreenCases(el, rows) {
    if (!rows || !rows.length) { el.textContent = T.no_cases; el.dataset.ready = "0"; return; }
    rows = rows.slice().reverse();  // the largest at the top of a horizontal bar chart
    var label = { show: true, color: "#0b1a2e", fontSize: fontSize(0.9), formatter: function (p) { return p.value ? p.value : ""; } };
    function part(name, key, colour) {
      return { name: name, type: "bar", stack: "cases", barMaxWidth: fontSize() * 1.6, label: label, itemStyle: { color: colour },
               data: rows.map(function (r) { return r[key]; }) };
    }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll", textStyle: { color: textColour(), fontSize: fontSize() }, pageTextStyle: { color: textColour() } },
      grid: { left: 4, right: fontSize() * 1.5, top: fontSize() * 2.6, bottom: 2, containLabel: true },
      xAxis: Object.assign({ type: "value", minInterval: 1 }, axisStyle()),
      yAxis: Object.assign({ type: "category", data: rows.map(function (r) { return r.name; }) }, axisStyle()),
      series: [part(T.finished, "finished", "#5fd1ff"), part(T.open, "open", "#f0c75e"), part(T.overdue, "overdue", "#ff6b5f")]
    });
    charts.push(chart);
    el.dataset.ready = String(rows.length);
  }

  /* 大屏: how many firms of the filtered parks hold each 亩均 grade in the latest graded year. */
  function drawMujun(el, mujun) {
    if (!mujun || !mujun.grades.length) { el.textContent = T.no_grades; el.dataset.ready = "0"; return; }
    var colours = ["#27ae60", "#5fd1ff", "#f0c75e", "#ff6b5f", "#8ea3bd"];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 4, right: 4, top: fontSize() * 2, bottom: 2, containLabel: true },
      xAxis: Object.assign({ type: "category", data: mujun.grades.map(function (g) { return g.name; }) }, axisStyle()),
      yAxis: Object.assign({ type: "value", minInterval: 1, name: T.firms_axis,
                             nameTextStyle: { color: textColour(), fontSize: fontSize(), align: "left" } }, axisStyle()),
      series: [{ type: "bar", name: T.firms_axis, barMaxWidth: fontSize() * 3,
                 label: { show: true, position: "top", color: textColour(), fontSize: fontSize(1.1) },
                 data: mujun.grades.map(function (g, i) { return { value: g.count, itemStyle: { color: colours[i % colours.length] } }; }) }]
    });
    charts.push(chart);
    el.dataset.ready = String(mujun.grades.length);
  }

  /* 大屏: the wall clock, and with ?rotate=<seconds> (at least 10) the next district of the filter's
     list (the whole city counts as one step) after so many seconds. */
  function screenMode() {
    if (!dark()) { return; }
    document.documentElement.classList.add("screen-mode");
    var clock = document.querySelector("[data-clock]");
    function tick() {
      var now = new Date();
      clock.textContent = now.toLocaleDateString(document.documentElement.lang || "zh-CN") + " " +
        now.toLocaleTimeString(document.documentElement.lang || "zh-CN", { hour: "2-digit", minute: "2-digit" });
    }
    if (clock) { tick(); window.setInterval(tick, 15000); }
    var params = new URLSearchParams(window.location.search);
    var seconds = parseInt(params.get("rotate") || "0", 10);
    var select = document.querySelector(".cockpit .filters select[name=district]");
    if (!select || !(seconds >= 10)) { return; }
    var codes = Array.prototype.map.call(select.options, function (o) { return o.value; });
    var next = codes[(codes.indexOf(params.get("district") || "") + 1) % codes.length];
    window.setTimeout(function () {
      if (next) { params.set("district", next); } else { params.delete("district"); }
      window.location.search = params.toString();
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    screenMode();
    shared.keepSized(charts);
    var source = document.getElementById("cockpit-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    T = Object.assign(T, data.labels || {});
    var map = document.getElementById("cockpit-map");
    if (map) {
      Promise.all([shared.getJSON(map.dataset.basemap), shared.getJSON(map.dataset.parks)]).then(function (loaded) {
        drawMap(map, data, loaded[0], loaded[1]);
      }).catch(function (err) {
        map.textContent = T.map_failed + err.message;
        map.dataset.ready = "error";
      });
    }
    chooseUnits((data.monthly || []).concat(data.annual || []));
    var monthly = document.getElementById("trend-monthly");
    if (monthly) { drawMonthly(monthly, data.monthly); }
    var annual = document.getElementById("trend-annual");
    if (annual) { drawAnnual(annual, data.annual); }
    if (data.screen) {
      var cases = document.getElementById("screen-cases");
      if (cases) { drawScreenCases(cases, data.screen.cases); }
      var mujun = document.getElementById("screen-mujun");
      if (mujun) { drawMujun(mujun, data.screen.mujun); }
    }
  });
})();
