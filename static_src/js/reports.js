// Report charts (ECharts, served locally from npm) and the export progress bar.
// Charts are an aid only: every number is also in a table on the page.
(function () {
  "use strict";
  var COLORS = { met: "#2e7d32", in_progress: "#ef8f00", not_met: "#c62828", no_target: "#9e9e9e",
                 compliant: "#2e7d32", not_compliant: "#c62828",
                 on_track: "#ef8f00", behind: "#c62828", completed: "#2e7d32" };

  function drawCharts() {
    var nodes = document.querySelectorAll("[data-chart]");
    if (!nodes.length || !window.echarts) return;
    var url = nodes[0].getAttribute("data-chart-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        nodes.forEach(function (node) {
          var chart = window.echarts.init(node);
          var narrow = node.clientWidth < 560;
          if (node.getAttribute("data-chart") === "bar" && data.bar && narrow) {
            // A phone: horizontal bars, one readable name per row, no labels drawn over each other.
            node.style.height = Math.max(240, data.bar.categories.length * 34 + 80) + "px";
            chart.resize();
            chart.setOption({
              tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
              legend: { top: 0 },
              grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
              xAxis: { type: "value" },
              yAxis: { type: "category", inverse: true, data: data.bar.categories,
                       axisLabel: { width: 110, overflow: "truncate", interval: 0 } },
              series: data.bar.series.map(function (s) {
                return { name: s.name, type: "bar", stack: "n", data: s.data, itemStyle: { color: COLORS[s.key] } };
              })
            });
          } else if (node.getAttribute("data-chart") === "bar" && data.bar) {
            chart.setOption({
              tooltip: { trigger: "axis" },
              legend: { top: 0 },
              grid: { left: 50, right: 50, bottom: 90, top: 40 },
              xAxis: { type: "category", data: data.bar.categories,
                       axisLabel: { rotate: 30, interval: 0, width: 120, overflow: "truncate" } },
              yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
              series: data.bar.series.map(function (s) {
                return { name: s.name, type: "bar", stack: "n", data: s.data, itemStyle: { color: COLORS[s.key] } };
              }).concat([{ name: "%", type: "line", yAxisIndex: 1, data: data.bar.rates }])
            });
          } else if (node.getAttribute("data-chart") === "pie") {
            chart.setOption({
              tooltip: { trigger: "item" },
              legend: { bottom: 0 },
              series: [{ type: "pie", radius: ["35%", "65%"], label: { show: false }, data: data.distribution.map(function (d) {
                return { name: d.name, value: d.value, itemStyle: { color: COLORS[d.key] } };
              }) }]
            });
          } else {
            node.hidden = true;
          }
          window.addEventListener("resize", function () { chart.resize(); });
        });
      });
  }

  function pollExport() {
    var box = document.querySelector("[data-export-job]");
    if (!box) return;
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector(".progress");
    var status = box.querySelector("[data-export-status]");
    function tick() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
        bar.setAttribute("aria-valuenow", d.percent);
        bar.firstElementChild.style.width = d.percent + "%";
        status.textContent = d.rows_done + " / " + d.rows_total;
        if (d.download_url) {
          var link = box.querySelector("[data-export-link]");
          link.querySelector("a").href = d.download_url;
          link.hidden = false;
        } else if (d.error) {
          var err = box.querySelector("[data-export-error]");
          err.textContent = d.error;
          err.hidden = false;
        } else {
          setTimeout(tick, 1500);
        }
      });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(); pollExport(); });
})();
