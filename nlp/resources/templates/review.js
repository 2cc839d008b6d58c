(function () {
  "use strict";
  // The side panels stick below the header, whose height depends on the report (warnings, long titles).
  var header = document.querySelector("header.top");
  function fitHeader() {
    var sticky = header && getComputedStyle(header).position === "sticky";
    document.documentElement.style.setProperty("--header-h", (sticky ? header.offsetHeight : 0) + "px");
  }
  fitHeader();
  window.addEventListener("resize", fitHeader);
  window.addEventListener("load", fitHeader);
  if (header && window.ResizeObserver) { new ResizeObserver(fitHeader).observe(header); }
  // Filters: a paragraph shows when it carries the chosen category; a finding when it is of the chosen kind.
  var category = document.getElementById("filter-category");
  var kind = document.getElementById("filter-kind");
  function applyFilters() {
    var c = category ? category.value : "";
    document.querySelectorAll("article.para").forEach(function (p) {
      var labels = (p.getAttribute("data-labels") || "").split("|");
      p.classList.toggle("hidden", c !== "" && labels.indexOf(c) < 0);
    });
    var k = kind ? kind.value : "";
    document.querySelectorAll("li.finding").forEach(function (f) {
      f.classList.toggle("hidden", k !== "" && f.getAttribute("data-kind") !== k);
    });
  }
  if (category) { category.addEventListener("change", applyFilters); }
  if (kind) { kind.addEventListener("change", applyFilters); }

  // A finding, clicked, highlights the numbers it is about and scrolls to the first of them.
  function spansOf(finding) {
    return (finding.getAttribute("data-spans") || "").split(" ").filter(Boolean).map(function (s) {
      var parts = s.split("-");
      return [parseInt(parts[0], 10), parseInt(parts[1], 10)];
    });
  }
  function targetsOf(finding) {
    var spans = spansOf(finding);
    var found = [];
    document.querySelectorAll("[data-s]").forEach(function (el) {
      var s = parseInt(el.getAttribute("data-s"), 10), e = parseInt(el.getAttribute("data-e"), 10);
      if (spans.some(function (x) { return s < x[1] && e > x[0]; })) { found.push(el); }
    });
    (finding.getAttribute("data-rows") || "").split(" ").filter(Boolean).forEach(function (id) {
      var row = document.getElementById(id);
      if (row) { found.push(row); }
    });
    return found;
  }
  function show(finding) {
    document.querySelectorAll(".hit").forEach(function (el) { el.classList.remove("hit"); });
    document.querySelectorAll("li.finding.active").forEach(function (el) { el.classList.remove("active"); });
    finding.classList.add("active");
    var targets = targetsOf(finding);
    targets.forEach(function (el) {
      var para = el.closest("article.para");
      if (para && para.classList.contains("hidden") && category) { category.value = ""; applyFilters(); }
      el.classList.add("hit");
    });
    if (targets.length) { targets[0].scrollIntoView({ block: "center", behavior: "auto" }); }
  }
  document.querySelectorAll("li.finding").forEach(function (f) {
    f.addEventListener("click", function () { show(f); });
    f.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(f); }
    });
  });
})();
