// Rapport's shell behaviour: keyboard shortcuts, the search dropdown, the mobile sidebar, copy buttons.
// Loaded as a file (never inline) so the Content-Security-Policy can stay strict.
(function () {
  "use strict";

  function isTyping(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function searchInput() { return document.querySelector("[data-search-input]"); }
  function searchResults() { return document.querySelector("[data-search-results]"); }
  function hits() {
    var results = searchResults();
    return results ? Array.prototype.slice.call(results.querySelectorAll("[data-search-hit]")) : [];
  }
  function closeResults() {
    var results = searchResults();
    if (results) results.classList.add("is-closed");
  }
  function openResults() {
    var results = searchResults();
    if (results) results.classList.remove("is-closed");
  }

  document.addEventListener("keydown", function (event) {
    var input = searchInput();
    // "/" focuses the search box from anywhere, like Linear and GitHub.
    if (event.key === "/" && !isTyping(document.activeElement) && !event.ctrlKey && !event.metaKey && input) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    var list = hits();
    var index = list.indexOf(document.activeElement);
    if (event.key === "Escape") {
      if (index >= 0 || document.activeElement === input) {
        closeResults();
        if (input) input.focus();
      }
      document.querySelectorAll("details[data-menu][open]").forEach(function (menu) { menu.open = false; });
      closeNav();
      return;
    }
    if (event.key === "ArrowDown" && (document.activeElement === input || index >= 0) && list.length) {
      event.preventDefault();
      openResults();
      list[Math.min(index + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0 && input) input.focus(); else list[index - 1].focus();
    }
  });

  document.addEventListener("focusin", function (event) {
    var input = searchInput();
    if (event.target === input) openResults();
  });

  document.addEventListener("click", function (event) {
    var form = event.target.closest ? event.target.closest(".search") : null;
    if (!form) closeResults();
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target === searchResults()) openResults();
  });

  // The sidebar on narrow screens.
  function closeNav() {
    var sidebar = document.getElementById("sidebar");
    var toggle = document.querySelector("[data-nav-toggle]");
    var backdrop = document.querySelector("[data-nav-close]");
    if (!sidebar || !sidebar.classList.contains("is-open")) return;
    sidebar.classList.remove("is-open");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    if (backdrop) backdrop.hidden = true;
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-nav-toggle]") : null;
    if (toggle) {
      var sidebar = document.getElementById("sidebar");
      var backdrop = document.querySelector("[data-nav-close]");
      var open = !sidebar.classList.contains("is-open");
      sidebar.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (backdrop) backdrop.hidden = !open;
      if (open) {
        var current = sidebar.querySelector("a");
        if (current) current.focus();
      }
      return;
    }
    if (event.target.closest && event.target.closest("[data-nav-close]")) closeNav();
  });

  // Copy buttons: data-copy="#id-of-input".
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var label = button.querySelector("[data-copy-label]") || button;
    function done() { label.textContent = "Copied"; setTimeout(function () { label.textContent = "Copy"; }, 2000); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () { source.select(); });
    } else {
      // Plain-HTTP installs have no async clipboard API: fall back to the old command.
      source.select();
      if (document.execCommand("copy")) done();
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // Record pickers (rapport.web.records.RecordPickerWidget): choosing a suggestion fills the
  // hidden input the form submits and shows the record's name in the search box.
  document.addEventListener("click", function (event) {
    var choice = event.target.closest ? event.target.closest("[data-pick-value]") : null;
    if (!choice) return;
    var picker = choice.closest("[data-picker]");
    if (!picker) return;
    picker.querySelector("input[type=hidden]").value = choice.getAttribute("data-pick-value");
    picker.querySelector("input[type=search]").value = choice.getAttribute("data-pick-label");
    picker.querySelector("[data-picker-results]").innerHTML = "";
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-picker] input[type=search]")) return;
    // Clearing the box clears the choice.
    if (box.value === "") box.closest("[data-picker]").querySelector("input[type=hidden]").value = "";
  });
})();
