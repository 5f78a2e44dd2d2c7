// Draws a measure's chart from the Vega-Lite spec the page embeds: #bp-timeline-spec (its levels) and,
// when the reader ticks "Show changes and targets", the panels of #bp-timeline-spec-all added below them. Every panel is as wide as the
// page allows, and the chart is drawn again when that width changes (a phone turned, a window resized).
// Vega, Vega-Lite and vega-embed are served by this server from datasette-dashboards' static folder.
(function () {
  var holder, toggle, drawnWidth = 0, view = null;

  function spec() {
    var source = document.getElementById("bp-timeline-spec");
    if (!source) return null;
    var s = JSON.parse(source.textContent);
    var added = document.getElementById("bp-timeline-spec-all");
    if (toggle && toggle.checked && added) s.vconcat = s.vconcat.concat(JSON.parse(added.textContent));
    return s;
  }

  function panelWidth() {
    // room for the y axis, its title and the padding Vega adds around each panel
    return Math.max(160, Math.floor(holder.clientWidth) - 90);
  }

  function draw() {
    var s = spec();
    if (!s || typeof vegaEmbed === "undefined") return;
    drawnWidth = holder.clientWidth;
    var width = panelWidth();
    (s.vconcat || [s]).forEach(function (panel) { panel.width = width; });
    if (view) view.finalize();
    holder.setAttribute("data-rendered", "pending");
    vegaEmbed(holder, s, { renderer: "svg", actions: false, tooltip: { theme: "light" } })
      .then(function (result) {
        view = result.view;
        holder.setAttribute("data-rendered", "true");
        holder.setAttribute("data-panels", String((s.vconcat || [s]).length));
      })
      .catch(function (error) {
        holder.setAttribute("data-rendered", "error");
        holder.textContent = "The chart could not be drawn; the tables below hold the same figures.";
        console.error(error);
      });
  }

  function start() {
    holder = document.getElementById("bp-timeline");
    if (!holder) return;
    toggle = document.getElementById("bp-timeline-others");
    if (toggle) toggle.addEventListener("change", draw);
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { if (Math.abs(holder.clientWidth - drawnWidth) > 8) draw(); }, 150);
    });
    draw();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
