// The copy button of the logging address (templates/partners/inbox/_address.html). Without
// script the button stays hidden and the address remains selectable in its field.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field) {
      return;
    }
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    function fallback() {
      field.focus();
      field.select();
      try {
        say(document.execCommand("copy") ? button.dataset.copied : button.dataset.failed);
      } catch (error) {
        say(button.dataset.failed);
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.dataset.copied);
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
