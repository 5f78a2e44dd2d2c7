// Filters the measure index as you type: rows whose words contain every word typed stay visible.
(function () {
  var input = document.getElementById("bp-index-q");
  if (!input) return;
  var status = document.getElementById("bp-index-count");
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    document.querySelectorAll(".bp-index-category").forEach(function (section) {
      var visible = 0;
      section.querySelectorAll("tr[data-search]").forEach(function (row) {
        var text = row.getAttribute("data-search");
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) visible += 1;
      });
      section.hidden = visible === 0;
      shown += visible;
    });
    document.querySelectorAll(".bp-index-empty li[data-search]").forEach(function (item) {
      var text = item.getAttribute("data-search");
      item.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    if (status) status.textContent = shown + (shown === 1 ? " measure" : " measures") + " with figures" + (words.length ? " matching “" + input.value.trim() + "”." : ".");
  }
  input.addEventListener("input", filter);
})();
