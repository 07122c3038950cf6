/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Warn before leaving a form with unsaved changes (forms marked data-warn-unsaved).
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () {
      dirty = false;
      // Avoid double submits: the server is idempotent anyway.
      form.querySelectorAll("button[type=submit]").forEach(function (b) { setTimeout(function () { b.disabled = true; }, 0); });
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
  // Filter forms submit on change of a select.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A file above the limit is refused in the browser before it is sent (the server stops reading it anyway).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var tooBig = Array.prototype.some.call(input.files, function (f) { return f.size > Number(input.dataset.maxBytes); });
      input.setCustomValidity(tooBig ? input.dataset.tooLarge : "");
      input.reportValidity();
    });
  });
})();
