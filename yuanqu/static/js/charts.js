/* What the chart scripts share (the cockpit, the district page, 一园一档 and the park maps): the park
   types' colours, our own JSON read from this host, a map's bounding box and aspect, and a page's
   charts kept to its size and printed. Loaded before the page's own chart script; nothing from
   another host. Used as yuanqu.charts.<name>. */
(function () {
  "use strict";
  var TYPE_COLOURS = { modern: "#c0392b", featured: "#2e86de", urban: "#27ae60", unclassified: "#95a5a6" };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  /* The box around the features' coordinates, widened on each side by `share` of its longer edge
     (and 0.01°), as ECharts' boundingCoords: [[west, north], [east, south]]. */
  function fitBox(features, share) {
    var minX = 180, minY = 90, maxX = -180, maxY = -90;
    features.forEach(function (f) {
      JSON.stringify(f.geometry.coordinates).replace(/\[(-?[\d.]+),(-?[\d.]+)\]/g, function (_, x, y) {
        x = +x; y = +y; minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
        return "";
      });
    });
    var pad = share === 0 ? 0 : Math.max(maxX - minX, maxY - minY) * share + 0.01;
    return [[minX - pad, maxY + pad], [maxX + pad, minY - pad]];
  }

  /* A degree of longitude is shorter than a degree of latitude by the cosine of the latitude: the
     middle latitude of what is drawn sets the map's aspect, wherever the city lies. */
  function aspect(features) {
    var box = fitBox(features, 0);
    var middle = (box[0][1] + box[1][1]) / 2;
    return isFinite(middle) && Math.abs(middle) < 80 ? Math.cos(middle * Math.PI / 180) : 1;
  }

  /* A park polygon on a map: its fill and border, orange under the pointer, and its own tooltip
     (ECharts takes a geo region's tooltip from the region, not from the chart-wide formatter). */
  function parkRegion(code, fill, border, describe) {
    return { name: code, label: { show: false }, itemStyle: { areaColor: fill, borderColor: border, borderWidth: 0.6 },
             emphasis: { itemStyle: { areaColor: "#f39c12" } }, tooltip: { formatter: describe } };
  }

  /* A map of `features` (the districts and the parks' polygons) drawn in `el` as `name`, with the
     page's own geo settings; a click on a region goes where `opens(name)` says (nowhere for ""). */
  function drawGeo(el, name, features, geo, opens) {
    echarts.registerMap(name, { type: "FeatureCollection", features: features });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "item" },
      geo: Object.assign({ map: name, roam: true, aspectScale: aspect(features) }, geo),
      series: []
    });
    chart.on("click", function (params) {
      var url = opens(params.name);
      if (url) { window.location.href = url; }
    });
    return chart;
  }

  /* The page's print buttons print it; its charts follow the window's size and the printed page's. */
  function keepSized(charts) {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    function resize() { charts.forEach(function (c) { c.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  }

  window.yuanqu = Object.assign(window.yuanqu || {}, {
    charts: { TYPE_COLOURS: TYPE_COLOURS, getJSON: getJSON, fitBox: fitBox, aspect: aspect, parkRegion: parkRegion,
              drawGeo: drawGeo, keepSized: keepSized }
  });
})();
