// Keeps what is typed into the finding form on this phone (localStorage), so that a post lost on
// a bad connection does not lose the text: restored when the form opens again, forgotten once
// the walk-through page says the finding was saved. The photo cannot be kept this way: a
// browser never lets a page store or set a chosen file.
(function () {
  "use strict";

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage switched off: the form works as before
    }
  }

  var store = storage();
  if (!store) {
    return;
  }

  var saved = document.querySelector("[data-finding-saved]");
  if (saved) {
    store.removeItem(saved.getAttribute("data-draft-key"));
  }

  var form = document.getElementById("finding-form");
  var key = form && form.getAttribute("data-draft-key");
  if (!key) {
    return;
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  function save() {
    var draft = {};
    fields().forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) {
          draft[el.name] = el.value;
        }
      } else if (el.type === "checkbox") {
        draft[el.name] = el.checked;
      } else {
        draft[el.name] = el.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify(draft));
    } catch (e) {
      // storage full: nothing more to do
    }
  }

  function restore() {
    var draft;
    try {
      draft = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      draft = null;
    }
    if (!draft) {
      return false;
    }
    fields().forEach(function (el) {
      if (!(el.name in draft)) {
        return;
      }
      var value = draft[el.name];
      if (el.name === "client_key") {
        // The key of the form that may have reached the server: sending it again records the
        // finding once, even if the first post did arrive.
        el.value = value;
      } else if (el.type === "radio") {
        if (!form.querySelector('input[name="' + el.name + '"]:checked')) {
          el.checked = el.value === value;
        }
      } else if (el.type === "checkbox") {
        el.checked = el.checked || value === true;
      } else if (!el.value) {
        el.value = value;
      }
    });
    return true;
  }

  if (restore()) {
    var note = document.getElementById("finding-draft-note");
    if (note) {
      note.hidden = false;
    }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
