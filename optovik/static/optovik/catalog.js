// The header search box: arrow keys move into the suggestions, Escape or a click elsewhere closes them.
(function () {
  function box() { return document.getElementById("search-suggestions"); }
  function close() { var b = box(); if (b) { b.innerHTML = ""; } }

  document.addEventListener("keydown", function (event) {
    var b = box();
    if (!b) { return; }
    var input = document.getElementById("header-search");
    var links = Array.prototype.slice.call(b.querySelectorAll("a.dropdown-item"));
    var index = links.indexOf(document.activeElement);
    if (event.key === "Escape" && (event.target === input || index >= 0)) {
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && links.length && (event.target === input || index >= 0)) {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) { input.focus(); } else { links[index - 1].focus(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".catalog-search")) { close(); }
  });

  // The product gallery: mark the thumbnail of the shown image.
  document.addEventListener("slid.bs.carousel", function (event) {
    var thumbs = document.querySelectorAll(".catalog-thumbnail");
    thumbs.forEach(function (thumb, i) {
      var active = i === event.to;
      thumb.classList.toggle("active", active);
      if (active) { thumb.setAttribute("aria-current", "true"); } else { thumb.removeAttribute("aria-current"); }
    });
  });
})();
