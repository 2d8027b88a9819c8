// "Add to cart" forms of the catalog post through HTMX: the page stays, the cart badge and a short
// message update from the answer's out-of-band parts. Without JavaScript the forms post normally.
(function () {
  function enhance(root) {
    if (!window.htmx) { return; }
    (root || document).querySelectorAll("form.catalog-buy, form[data-cart-add]").forEach(function (form) {
      if (form.hasAttribute("hx-post")) { return; }
      form.setAttribute("hx-post", form.getAttribute("action"));
      form.setAttribute("hx-swap", "none");
      window.htmx.process(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
