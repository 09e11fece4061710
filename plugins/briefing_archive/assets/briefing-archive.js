/* On every page, after mkdocs-material's script (the archive plugin adds it to extra_javascript). */
(function () {
  "use strict";

  /* A table wider than the screen scrolls sideways inside material's wrapper, which a keyboard
     reaches only if it can take focus (WCAG 2.1.1; axe-core's scrollable-region-focusable).
     material makes its code blocks focusable so, on devices that hover; tables, nowhere. */
  var scrolling = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var wrap = entry.target;
      if (wrap.scrollWidth > wrap.clientWidth) wrap.setAttribute("tabindex", "0");
      else wrap.removeAttribute("tabindex");
    });
  });
  function watchTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) { scrolling.observe(wrap); });
  }
  if (window.document$) window.document$.subscribe(watchTables);  // after material wraps the tables
  else watchTables();

  /* material's drawer and search toggles are checkboxes it marked autocomplete="off" (invalid
     there, dropped by engine/valid_markup.py) so a browser going back to the page would not show
     the drawer open again: on coming back, they are unchecked here, through material's own
     change events. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("input.md-toggle[data-md-toggle]").forEach(function (toggle) {
      if (toggle.checked) toggle.click();
    });
  });
})();
