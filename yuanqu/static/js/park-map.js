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
    /* A park's tooltip, carried by its region (charts.parkRegion). */
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
      regions.push(shared.parkRegion(p.code, shared.TYPE_COLOURS[p.park_type] || "#999", "#333", describe));
    });
    var chart = shared.drawGeo(el, "yuanqu-" + el.id, features, {
      label: { show: false },
      itemStyle: { areaColor: "#eef1f5", borderColor: "#8a96a8", borderWidth: 0.8 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#dde4ee" } },
      regions: regions,
      boundingCoords: el.dataset.fit === "park" ? shared.fitBox(parks.features, 1.5) : null
    }, function (code) {
      return byName[code] && el.dataset.detail ? el.dataset.detail + encodeURIComponent(code) + "/" : "";
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
