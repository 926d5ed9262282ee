// Click a header of a table.sortable to sort its rows by that column (again: reverse).
// Each cell carries its sort key in data-sort; numeric columns have data-type="num".
(function () {
  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[index];
      var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
      return numeric ? parseFloat(value) : value;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      return dir * (numeric ? x - y : String(x).localeCompare(String(y)));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-type]").forEach(function (th) {
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th); } });
    });
  });
})();
