// The workbench dashboard: one small bar chart per queue (Chart.js, vendored). The numbers come
// from <script type="application/json" id="dashboard-data"> (json_script): no inline script.
(function () {
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.Chart === "undefined") return;
    var queues = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    queues.forEach(function (queue) {
      var canvas = document.getElementById("chart-" + queue.key);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: queue.labels, datasets: [{ label: queue.title, data: queue.counts,
          backgroundColor: "#0b5cad", borderRadius: 3, maxBarThickness: 28 }] },
        options: {
          indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: reduced ? false : { duration: 300 },
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
