/* Park maps drawn with ECharts from our own GeoJSON: the district basemap plus park polygons
   coloured by type. No tiles and no other host. Used by the city map and the park page. */
(function () {
  "use strict";
  var esc = window.yuanqu.escapeHTML;
  var shared = window.yuanqu.charts;

  function draw(el, basemap, parks) {
    var features = basemap.features.map(function (f) {
      return { type: "Feature", properties: { name: f.properties.name, kind: "district" }, geometry: f.geometry };
    });
    var regions = [];
    var byName = {};
    /* A park's tooltip. ECharts takes a geo region's tooltip from the region (the chart-wide
       formatter is not used for geo regions), so each park region carries this formatter. */
    function describe(params) {
      var p = byName[params.name];
      if (!p) { return esc(params.name); }
      return esc(p.name) + "<br>" + esc(p.park_type_label) + " · " + esc(p.district) + "<br>边界面积 " +
        esc(Number(p.area_km2).toFixed(2)) + " km²";
    }
    parks.features.forEach(function (f) {
      var p = f.properties;
      byName[p.code] = p;
      features.push({ type: "Feature", properties: { name: p.code, kind: "park" }, geometry: f.geometry });
      regions.push({ name: p.code, itemStyle: { areaColor: shared.TYPE_COLOURS[p.park_type] || "#999", borderColor: "#333", borderWidth: 0.6 },
                     emphasis: { itemStyle: { areaColor: "#f39c12" } }, tooltip: { formatter: describe } });
    });
    echarts.registerMap("yuanqu-" + el.id, { type: "FeatureCollection", features: features });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "item" },
      geo: {
        map: "yuanqu-" + el.id, roam: true, aspectScale: shared.aspect(features),
        label: { show: false },
        itemStyle: { areaColor: "#eef1f5", borderColor: "#8a96a8", borderWidth: 0.8 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#dde4ee" } },
        regions: regions,
        boundingCoords: el.dataset.fit === "park" ? shared.fitBox(parks.features, 1.5) : null
      },
      series: []
    });
    chart.on("click", function (params) {
      if (byName[params.name] && el.dataset.detail) {
        window.location.href = el.dataset.detail + encodeURIComponent(params.name) + "/";
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = String(parks.features.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("park-map");
    if (!el || typeof echarts === "undefined") { return; }
    var own = document.getElementById("park-boundary");
    var parksPromise;
    if (own) {
      var geometry = JSON.parse(own.textContent);
      el.dataset.fit = "park";
      parksPromise = Promise.resolve({ type: "FeatureCollection", features: [{ type: "Feature", geometry: geometry,
        properties: { code: "park", name: document.title.split(" · ")[0], park_type: "modern", park_type_label: "", district: "", area_km2: 0 } }] });
    } else {
      parksPromise = shared.getJSON(el.dataset.parks);
      el.dataset.detail = el.dataset.detail || "";
    }
    Promise.all([shared.getJSON(el.dataset.basemap), parksPromise]).then(function (data) {
      draw(el, data[0], data[1]);
    }).catch(function (err) {
      el.textContent = "地图数据加载失败：" + err.message;
    });
  });
})();
