// Type to narrow a long list of units: a province has thousands, and a plain <select> of them is
// unusable. Progressive enhancement — without script the <select> works as it is.
//
// A select with data-units-url lists only the top of a long offer (org/picker.py). Its box asks
// that same-origin address for the units matching what was typed (org/pick_views.py) and lists
// them in place of the others, keeping the chosen ones; emptied, the box brings back the list the
// page came with.
(function () {
  "use strict";
  var MIN_OPTIONS = 30;
  // After the last keystroke: one request per pause in typing, not one per character.
  var DELAY_MS = 250;

  function narrow(select, needle) {
    for (var i = 0; i < select.options.length; i += 1) {
      var option = select.options[i];
      var keep = !needle || option.selected || option.value === "" ||
        option.text.indexOf(needle) !== -1;
      option.hidden = !keep;
    }
  }

  // Lists `options` after the empty option and the chosen ones, which stay chosen.
  function fill(select, options) {
    var kept = Array.prototype.filter.call(select.options, function (option) {
      return option.value === "" || option.selected;
    });
    var chosen = kept.filter(function (option) { return option.selected; });
    var seen = {};
    select.textContent = "";
    kept.forEach(function (option) {
      seen[option.value] = true;
      option.hidden = false;
      select.appendChild(option);
    });
    options.forEach(function (option) {
      if (!seen[option.value]) {
        seen[option.value] = true;
        select.appendChild(option);
      }
    });
    chosen.forEach(function (option) { option.selected = true; });
  }

  function showHint(hint, text) {
    hint.textContent = text || "";
    hint.hidden = !text;
  }

  function searchOnServer(select, input) {
    var original = Array.prototype.map.call(select.options, function (option) {
      return option.cloneNode(true);
    });
    var hint = document.createElement("div");
    hint.className = "form-hint select-filter-hint";
    hint.setAttribute("aria-live", "polite");
    hint.hidden = true;
    select.parentNode.insertBefore(hint, select.nextSibling);
    var timer = null;
    var pending = null;

    function restore() {
      fill(select, original.map(function (option) {
        var copy = option.cloneNode(true);
        copy.selected = false;
        return copy;
      }));
    }

    function ask(needle) {
      var url = new URL(select.dataset.unitsUrl, window.location.href);
      url.searchParams.set("q", needle);
      pending = new AbortController();
      var request = pending;
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: request.signal
      }).then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      }).then(function (body) {
        if (request.signal.aborted) {
          return;
        }
        fill(select, body.results.map(function (unit) {
          return new Option(unit.label, String(unit.id));
        }));
        var none = body.results.length === 0;
        showHint(hint, none ? select.dataset.unitsNone :
          body.more ? select.dataset.unitsMore : "");
      }).catch(function () {
        // Aborted by a newer keystroke, or signed out: the list stays as it was.
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (pending) {
        pending.abort();
        pending = null;
      }
      var needle = input.value.trim();
      if (!needle) {
        restore();
        showHint(hint, "");
        return;
      }
      timer = window.setTimeout(function () { ask(needle); }, DELAY_MS);
    });
  }

  function enhance(select) {
    var remote = Boolean(select.dataset.unitsUrl);
    if (select.dataset.filterReady || (!remote && select.options.length < MIN_OPTIONS)) {
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
    if (remote) {
      searchOnServer(select, input);
      return;
    }
    input.addEventListener("input", function () { narrow(select, input.value.trim()); });
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
