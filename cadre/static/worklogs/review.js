// "Select all" for batch marking in the review queue (static file: strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("check-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll('input[name="week_key"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
