// 工伤快报 form: device position (latitude, longitude, accuracy) and "增加工伤人员".
(function () {
  var status = document.getElementById("geo-status");
  var form = document.getElementById("report-form");
  if (!form) return;
  function set(name, value) { var el = form.querySelector('[name="' + name + '"]'); if (el) el.value = value; }
  function say(text) { if (status) status.textContent = text; }
  if (!navigator.geolocation) {
    say("无法获取定位，请填写事故发生地点。");
  } else {
    navigator.geolocation.getCurrentPosition(function (pos) {
      set("latitude", pos.coords.latitude.toFixed(6));
      set("longitude", pos.coords.longitude.toFixed(6));
      set("accuracy_m", Math.round(pos.coords.accuracy));
      say("已获取定位（精度约 " + Math.round(pos.coords.accuracy) + " 米），可补充详细地址。");
    }, function () {
      say("未获取到定位（已拒绝或不可用），请填写事故发生地点。");
      var address = form.querySelector('[name="address"]');
      if (address) address.required = true;
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }
  var add = document.getElementById("add-person");
  if (add) add.addEventListener("click", function () {
    var hidden = form.querySelector("[data-person-row].qr-hidden");
    if (hidden) hidden.classList.remove("qr-hidden");
    if (!form.querySelector("[data-person-row].qr-hidden")) add.hidden = true;
  });
})();
