/* 统计分析 / 领导驾驶舱 charts: drawn from the JSON the page embeds (json_script "dash-charts").
   Every bar, slice and point carries its 台账 link; a click opens the rows it counts.
   Tooltips render on the canvas (richText): the CSP forbids the inline styles of HTML tooltips. */
(function () {
  "use strict";

  var source = document.getElementById("dash-charts");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var specs = JSON.parse(source.textContent);
  var base = {
    animation: false,
    tooltip: { trigger: "item", renderMode: "richText" },
    grid: { left: 48, right: 16, top: 32, bottom: 64 }
  };

  function axisLabels(spec) {
    return { interval: 0, rotate: spec.labels.length > 6 ? 30 : 0, width: 96, overflow: "truncate" };
  }

  function barOption(spec, percent) {
    return Object.assign({}, base, {
      xAxis: { type: "category", data: spec.labels, axisLabel: axisLabels(spec) },
      yAxis: percent ? { type: "value", max: 100, name: "%" } : { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: "bar", data: s.values, barMaxWidth: 48,
          label: { show: true, position: "top" }
        };
      })
    });
  }

  function pieOption(spec) {
    var s = spec.series[0];
    return Object.assign({}, base, {
      legend: { bottom: 0 },
      series: [{
        name: s.name,
        type: "pie",
        radius: ["35%", "65%"],
        label: { formatter: "{c}", position: "inside", color: "#fff", fontWeight: "bold" },
        data: spec.labels.map(function (label, i) {
          return { name: label, value: s.values[i], itemStyle: { color: spec.colours[i] } };
        })
      }]
    });
  }

  function lineOption(spec) {
    return Object.assign({}, base, {
      legend: { top: 0 },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: spec.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, symbolSize: 8, triggerLineEvent: true };
      })
    });
  }

  function option(spec) {
    if (spec.type === "pie") { return pieOption(spec); }
    if (spec.type === "line") { return lineOption(spec); }
    return barOption(spec, spec.type === "rate");
  }

  var charts = [];
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) { return; }
    if (!spec.labels.length) {
      el.classList.add("dash-chart-empty");
      return;
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    chart.on("click", function (params) {
      var series = spec.series[params.seriesIndex || 0];
      var url = series && series.urls[params.dataIndex];
      if (url) { window.location.assign(url); }
    });
    el.setAttribute("data-rendered", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
