// The progress bar of a CSV import (templates/partners/import_progress.html): polls the
// import's status and reloads the page once it has finished, so the server shows the result.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var url = box.dataset.statusUrl;

  function show(status) {
    if (status.finished) {
      window.location.reload();
      return;
    }
    if (status.status === "checking" && status.rows_total > 0) {
      bar.max = status.rows_total;
      bar.value = status.rows_done;
    } else {
      // Waiting or saving: no known end, so the bar shows activity only.
      bar.removeAttribute("value");
    }
    if (text.textContent !== status.text) {
      text.textContent = status.text;
    }
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        // A hiccup of the network or a restart of the server: try again a little later.
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
