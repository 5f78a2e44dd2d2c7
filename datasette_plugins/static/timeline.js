// Draws a measure's timeline from the Vega-Lite spec the row page embeds (#bp-timeline-spec).
// Vega, Vega-Lite and vega-embed are served by this server from datasette-dashboards' static folder.
(function () {
  function draw() {
    var holder = document.getElementById("bp-timeline");
    var source = document.getElementById("bp-timeline-spec");
    if (!holder || !source || typeof vegaEmbed === "undefined") return;
    var spec = JSON.parse(source.textContent);
    vegaEmbed(holder, spec, { renderer: "svg", actions: false, tooltip: { theme: "light" } })
      .then(function () { holder.setAttribute("data-rendered", "true"); })
      .catch(function (error) {
        holder.setAttribute("data-rendered", "error");
        holder.textContent = "The chart could not be drawn; the table below holds the same figures.";
        console.error(error);
      });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
