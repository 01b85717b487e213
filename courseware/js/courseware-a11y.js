/* Four Readings of 1917: accessible names for ipywidgets slider handles (no dependencies). */
(function () {
  "use strict";
  function label(handle) {
    var box = handle.closest(".widget-slider, .widget-hslider, .widget-vslider");
    if (!box) { return; }
    var text = box.querySelector(".widget-label");
    var name = text ? text.textContent.replace(/:\s*$/, "").trim() : "";
    if (name && handle.getAttribute("aria-label") !== name) { handle.setAttribute("aria-label", name); }
    var readout = box.querySelector(".widget-readout");
    var value = readout ? readout.textContent.trim() : "";
    if (value && handle.getAttribute("aria-valuetext") !== value) {
      handle.setAttribute("aria-valuetext", value);
    }
  }
  function scan(root) {
    root.querySelectorAll(".noUi-handle[role=slider]").forEach(label);
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "attributes") { label(r.target); }
      else if (r.target.querySelectorAll) { scan(r.target); }
    });
  }).observe(document.documentElement, {
    subtree: true, childList: true,
    attributes: true, attributeFilter: ["aria-valuenow"]
  });
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
})();
