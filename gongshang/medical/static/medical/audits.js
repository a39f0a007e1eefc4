// 现场稽核: say plainly when an answer did not reach the server (the page keeps what was entered).
(function () {
  function status(form, text) {
    var el = form && form.querySelector(".audit-status");
    if (el) { el.textContent = text; el.classList.add("error"); }
    var banner = document.getElementById("audit-offline");
    if (banner) { banner.hidden = false; }
  }
  document.addEventListener("htmx:sendError", function (e) {
    status(e.target.closest(".audit-item"), "未保存：网络中断。本项的选择和说明仍在页面上，网络恢复后请再点选一次。");
  });
  document.addEventListener("htmx:responseError", function (e) {
    status(e.target.closest(".audit-item"), "未保存：服务器暂时无法保存，请稍后再点选一次。");
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var banner = document.getElementById("audit-offline");
    if (banner && e.target.classList && e.target.classList.contains("audit-item")) { banner.hidden = true; }
  });
})();
