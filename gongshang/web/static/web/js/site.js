// Confirmation before destructive actions: <button data-confirm="确定删除吗？">. The question opens
// in a modal <dialog> over a dimmed backdrop (::backdrop in site.css); 确定 repeats the click with
// the confirmation given, 取消 or Esc leaves everything as it was. Without <dialog> support the
// browser's own confirm() asks instead.
(function () {
  var confirmed = null;
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var row = document.createElement("div");
    row.className = "actions confirm-actions";
    var cancel = document.createElement("button");
    cancel.type = "button"; cancel.className = "btn btn-secondary"; cancel.textContent = "取消";
    cancel.setAttribute("data-dialog-cancel", "");
    var ok = document.createElement("button");
    ok.type = "button"; ok.className = "btn"; ok.textContent = "确定";
    ok.setAttribute("data-dialog-ok", "");
    row.appendChild(cancel); row.appendChild(ok);
    dialog.appendChild(text); dialog.appendChild(row);
    document.body.appendChild(dialog);
    cancel.addEventListener("click", function () { dialog.close(); });
    ok.addEventListener("click", function () {
      var target = dialog.__target;
      dialog.close();
      if (target) { confirmed = target; target.click(); confirmed = null; }
    });
    dialog.addEventListener("close", function () {
      if (dialog.__target && document.contains(dialog.__target)) dialog.__target.focus();
      dialog.__target = null;
    });
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (!el || el === confirmed) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var message = el.getAttribute("data-confirm");
    if (typeof HTMLDialogElement !== "function") {
      if (window.confirm(message)) { confirmed = el; el.click(); confirmed = null; }
      return;
    }
    if (!dialog) build();
    dialog.querySelector("p").textContent = message;
    var danger = el.classList.contains("btn-danger");
    dialog.querySelector("[data-dialog-ok]").className = danger ? "btn btn-danger" : "btn";
    dialog.__target = el;
    dialog.showModal();
    dialog.querySelector("[data-dialog-cancel]").focus();
  }, true);
})();

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

// Camera tiles (web/_camera_tile.html): after a photo is taken, show its thumbnail in the tile (read
// as a data: URL: the policy allows data: images, not blob:); a video shows its file name.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.classList || !input.classList.contains("camera-input")) return;
  var tile = input.closest("[data-camera-tile]");
  if (!tile) return;
  var thumb = tile.querySelector(".camera-thumb");
  var name = tile.querySelector(".camera-name");
  var file = input.files && input.files[0];
  tile.classList.toggle("has-file", !!file);
  thumb.hidden = true;
  thumb.removeAttribute("src");
  name.textContent = file ? "已选择：" + file.name : "";
  if (!file || !/^image\//.test(file.type) || typeof FileReader !== "function") return;
  var reader = new FileReader();
  reader.onload = function () {
    thumb.src = reader.result;
    thumb.alt = "已拍摄照片的缩略图";
    thumb.hidden = false;
  };
  reader.readAsDataURL(file);
});

// A dialog rendered open (the quick-report tips) becomes modal, over the dimmed backdrop.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("dialog[open][data-modal]").forEach(function (dialog) {
    if (typeof dialog.showModal !== "function") return;
    dialog.close();
    dialog.showModal();
  });
});

// A table wider than the screen scrolls sideways in its .table-wrap: make that region reachable by
// keyboard (tabindex), or keyboard users could not scroll it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", "表格（可左右滚动）");
      wrap.setAttribute("role", "region");
    }
  });
});

// Long forms in steps: <form data-steps> shows one of its fieldset.panel sections at a time, with a
// progress row (one button per step, to jump) and 上一步 / 下一步. Every section stays in the form, so
// saving sends all of it from any step; without JavaScript the whole form shows as before. After a
// refused save the first section with an error opens.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-steps]").forEach(function (form) {
    var steps = Array.prototype.filter.call(form.children, function (el) {
      return el.matches("fieldset.panel");
    });
    if (steps.length < 3) return;
    var titles = steps.map(function (step) {
      var legend = step.querySelector("legend");
      return legend ? legend.textContent.trim() : "";
    });
    var progress = document.createElement("nav");
    progress.className = "steps-progress";
    progress.setAttribute("aria-label", "填写步骤");
    var list = document.createElement("ol");
    var status = document.createElement("p");
    status.className = "steps-status";
    status.setAttribute("aria-live", "polite");
    var buttons = titles.map(function (title, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      // The visible number and, for screen readers, the section's title (the name contains what is seen).
      var number = document.createElement("span");
      number.textContent = String(index + 1);
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = " " + title;
      button.appendChild(number);
      button.appendChild(name);
      button.addEventListener("click", function () { show(index, true); });
      if (steps[index].querySelector(".has-error, .error")) button.classList.add("step-error");
      item.appendChild(button);
      list.appendChild(item);
      return button;
    });
    progress.appendChild(list);
    progress.appendChild(status);
    steps[0].parentNode.insertBefore(progress, steps[0]);

    var nav = document.createElement("div");
    nav.className = "actions step-nav";
    var prev = document.createElement("button");
    prev.type = "button"; prev.className = "btn btn-secondary"; prev.textContent = "上一步";
    var next = document.createElement("button");
    next.type = "button"; next.className = "btn"; next.textContent = "下一步";
    nav.appendChild(prev); nav.appendChild(next);
    var last = steps[steps.length - 1];
    last.parentNode.insertBefore(nav, last.nextSibling);

    var current = 0;
    function show(index, focus) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      buttons.forEach(function (button, i) {
        if (i === current) button.setAttribute("aria-current", "step");
        else button.removeAttribute("aria-current");
        button.classList.toggle("step-done", i < current);
      });
      status.textContent = "第 " + (current + 1) + " 步，共 " + steps.length + " 步：" + titles[current];
      prev.hidden = current === 0;
      next.hidden = current === steps.length - 1;
      if (focus) {
        progress.scrollIntoView({block: "start"});
        var legend = steps[current].querySelector("legend");
        if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus({preventScroll: true}); }
      }
    }
    prev.addEventListener("click", function () { show(current - 1, true); });
    next.addEventListener("click", function () { show(current + 1, true); });
    var firstError = steps.findIndex(function (step) { return step.querySelector(".has-error, .error"); });
    show(firstError >= 0 ? firstError : 0, false);
  });
});
