// The chain map graph: one circle per node, upstream to downstream, coloured by gap status (ECharts, local).
(function () {
  var box = document.getElementById("chain-graph");
  var data = document.getElementById("chain-data");
  if (!box || !data || !window.echarts) { return; }
  var graph = JSON.parse(data.textContent);
  var step = 100 / Math.max(graph.nodes.length, 1);
  graph.nodes.forEach(function (node, i) { node.x = i * step; node.y = 0; node.symbolSize = 30 + Math.min(node.value, 40); });
  var chart = window.echarts.init(box);
  chart.setOption({
    tooltip: { formatter: function (p) { return p.dataType === "node" ? p.data.name + "：" + p.data.value + "家，" + p.data.status : ""; } },
    series: [{ type: "graph", layout: "none", roam: true, label: { show: true, position: "bottom" },
      edgeSymbol: ["none", "arrow"], data: graph.nodes, links: graph.links }]
  });
  // A node opens its row: its firms and the link to its candidate targets in the library.
  chart.on("click", function (p) {
    if (p.dataType !== "node") { return; }
    var row = document.getElementById("node-" + p.data.id);
    if (row) { row.scrollIntoView({ block: "center" }); row.classList.add("picked"); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
