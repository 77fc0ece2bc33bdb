// 导出 XLSX with progress shown. The server writes the whole workbook before the first byte leaves
// (constant memory: a temporary file, ledgers/xlsx_export.py), so the page first says it is being
// generated, then shows the download's bytes against its length, then saves it under the name the
// server gave. Without this script the link downloads as any link does.
(function () {
  "use strict";

  var XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var encoded = /filename\*=utf-8''([^;]+)/i.exec(header);
    if (encoded) return decodeURIComponent(encoded[1]);
    var plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : "export.xlsx";
  }

  async function read(response, bar) {
    var total = Number(response.headers.get("Content-Length")) || 0;
    if (!response.body || !total) return response.blob();
    var reader = response.body.getReader();
    var parts = [];
    var received = 0;
    bar.max = total;
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      parts.push(step.value);
      received += step.value.length;
      bar.value = received;
    }
    return new Blob(parts, { type: XLSX });
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function busy(link, on) {
    link.classList.toggle("disabled", on);
    link.setAttribute("aria-disabled", on ? "true" : "false");
  }

  async function run(link, box) {
    var status = box.querySelector("[data-export-status]");
    var bar = box.querySelector("progress");
    box.hidden = false;
    bar.removeAttribute("value"); // indeterminate while the server writes the file
    status.textContent = box.dataset.building;
    var response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    if ((response.headers.get("Content-Type") || "").indexOf(XLSX) !== 0) {
      window.location.href = link.href; // signed out meanwhile: let the browser follow
      return;
    }
    var rows = response.headers.get("X-Export-Rows") || "";
    status.textContent = box.dataset.sending.replace("%(rows)s", rows);
    save(await read(response, bar), filename(response));
    bar.value = bar.max;
    status.textContent = box.dataset.done.replace("%(rows)s", rows);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var box = document.getElementById(link.dataset.export);
    if (!box || !window.fetch) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    busy(link, true);
    run(link, box)
      .catch(function () {
        box.querySelector("[data-export-status]").textContent = box.dataset.failed;
      })
      .finally(function () { busy(link, false); });
  });
})();
