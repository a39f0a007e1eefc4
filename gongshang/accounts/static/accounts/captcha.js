// Image captcha: click the picture for a new one. The refresh address comes from the form's
// data-captcha-refresh attribute (no inline script: the Content-Security-Policy forbids it).
document.addEventListener("click", function (event) {
  var image = event.target.closest && event.target.closest("img.captcha");
  var form = image && image.closest("form[data-captcha-refresh]");
  if (!form) return;
  fetch(form.getAttribute("data-captcha-refresh"), {headers: {"X-Requested-With": "XMLHttpRequest"}})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      image.src = data.image_url;
      var key = form.querySelector('input[name$="captcha_0"]');
      if (key) key.value = data.key;
    });
});
