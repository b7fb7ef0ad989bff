// The mapping page: as columns are mapped, the "Required" badges and the skipped rows follow
// at once, and a field chosen for two columns is pointed out before the form is sent (the
// server checks it again; this only saves a round trip).
(function () {
  "use strict";
  var form = document.querySelector("[data-import-mapping]");
  if (!form) {
    return;
  }
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-column]"));

  function refresh() {
    var counts = {};
    selects.forEach(function (select) {
      if (select.value) {
        counts[select.value] = (counts[select.value] || 0) + 1;
      }
    });
    selects.forEach(function (select) {
      var row = select.closest("tr");
      var note = row.querySelector("[data-twice]");
      var twice = select.value && counts[select.value] > 1;
      row.classList.toggle("is-skipped", !select.value);
      row.classList.toggle("is-twice", Boolean(twice));
      if (note) {
        note.hidden = !twice;
      }
    });
    form.querySelectorAll("[data-required-field]").forEach(function (badge) {
      var mapped = Boolean(counts[badge.getAttribute("data-required-field")]);
      badge.classList.toggle("badge-green", mapped);
      badge.classList.toggle("badge-red", !mapped);
      badge.querySelector("[data-unmapped]").hidden = mapped;
    });
  }

  selects.forEach(function (select) {
    select.addEventListener("change", refresh);
  });
  refresh();
})();
