/* The citation style switch of a brief page (brief.html, section ba-cite). Without this script every
   style is shown, each with its label; with it, the switch appears and shows the chosen style only. */
(function () {
  "use strict";
  document.querySelectorAll("[data-citation-switch]").forEach(function (choices) {
    var section = choices.closest(".ba-cite");
    var styles = section.querySelectorAll("[data-citation-style]");
    function show(key) {
      styles.forEach(function (style) { style.hidden = style.getAttribute("data-citation-style") !== key; });
    }
    choices.addEventListener("change", function (event) { show(event.target.value); });
    section.classList.add("ba-cite--switched");
    choices.hidden = false;
    show(choices.querySelector("input:checked").value);
  });
})();
