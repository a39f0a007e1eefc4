// Confirmation before destructive actions: <button data-confirm="确定删除吗？">.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// "Select all" for a table of checkboxes: <input type="checkbox" data-select-all="ids">.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
  if (!name) return;
  var table = event.target.closest("table") || document;
  table.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});

// "Back" links: <a href="/" data-history-back> go back in history when there is one (the href
// is the fallback). No javascript: URLs: the Content-Security-Policy refuses them.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
