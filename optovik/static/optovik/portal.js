// Submits a select's form when it changes (the legal entity / contract switcher), without inline scripts.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-autosubmit]")) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
});
document.body && document.body.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
});
