/* Keys on the review sheet (templates/admin/positions/review_change_form.html): A approve,
   R reject, N next, E focus the first field of the form. Ignored while typing in a field,
   with a modifier key held, or when the page has no sheet; the buttons work without this. */
(function () {
  "use strict";
  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, button, [contenteditable], [contenteditable=''], .select2-container"));
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (typing(event.target)) return;
    var sheet = document.getElementById("review-sheet");
    if (!sheet) return;
    var key = event.key.toLowerCase();
    if (key === "e") {
      var field = document.querySelector("#content-main fieldset input:not([type=hidden]), #content-main fieldset select, #content-main fieldset textarea");
      if (field) { event.preventDefault(); field.focus(); }
      return;
    }
    var control = sheet.querySelector('[data-review-key="' + key + '"]');
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();
