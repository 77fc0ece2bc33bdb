// The 来源信息 of the item form: show only the facts the chosen source records, under that
// source's names, marking the required ones. The rules come from items/intake.py through the
// data-source-* attributes that items/forms.py puts on each field; the server enforces them and
// clears the facts of other sources, so hiding a field here never loses or keeps anything.
// Without this script every field is shown with a hint naming the sources that use it.
(function () {
  "use strict";

  function apply(control, source) {
    var wrapper = control.closest("[data-field]");
    if (!wrapper) {
      return;
    }
    var labels = JSON.parse(control.getAttribute("data-source-labels") || "{}");
    var required = (control.getAttribute("data-source-required") || "").split(" ");
    var always = control.getAttribute("data-source-always") === "1";
    var used = Object.prototype.hasOwnProperty.call(labels, source);
    // A refused value stays in sight, whatever the source, so that it can be corrected.
    var refused = wrapper.querySelector(".invalid-feedback") !== null;
    wrapper.hidden = !used && !always && !refused;
    var label = wrapper.querySelector("label");
    if (label) {
      label.textContent = used ? labels[source] : control.getAttribute("data-source-label");
      label.classList.toggle("required", required.indexOf(source) >= 0);
    }
    var hint = wrapper.querySelector(".form-hint");
    if (hint && !always) {
      hint.hidden = true; // the label already says what the field is for this source
    }
  }

  function update(select) {
    var controls = select.form.querySelectorAll("[data-source-labels]");
    Array.prototype.forEach.call(controls, function (control) {
      apply(control, select.value);
    });
  }

  function start() {
    var selects = document.querySelectorAll("select[data-source-select]");
    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", function () {
        update(select);
      });
      update(select);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
