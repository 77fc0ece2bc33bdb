// Type to narrow a long list of units: a province has thousands, and a plain <select> of them is
// unusable. Progressive enhancement — without script the <select> works as it is.
(function () {
  "use strict";
  var MIN_OPTIONS = 30;

  function enhance(select) {
    if (select.dataset.filterReady || select.options.length < MIN_OPTIONS) {
      return;
    }
    select.dataset.filterReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1 select-filter";
    // The placeholder comes translated from the form (org.forms.filterable).
    input.placeholder = select.dataset.filterPlaceholder || "";
    input.setAttribute("aria-label", input.placeholder);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var needle = input.value.trim();
      for (var i = 0; i < select.options.length; i += 1) {
        var option = select.options[i];
        var keep = !needle || option.selected || option.value === "" ||
          option.text.indexOf(needle) !== -1;
        option.hidden = !keep;
      }
    });
  }

  function enhanceAll(root) {
    var selects = (root || document).querySelectorAll("select[data-filter]");
    for (var i = 0; i < selects.length; i += 1) {
      enhance(selects[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
}());
