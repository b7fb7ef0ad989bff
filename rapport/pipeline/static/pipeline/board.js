// The pipeline board: drag a card to another column (or pick a stage in the card's menu) to
// move the deal. The move is posted to the same service the pages use; a refused move puts the
// card back where it was and shows the gates that stand in the way.
(function () {
  "use strict";
  var script = document.currentScript;
  var csrfToken = script ? script.getAttribute("data-csrf-token") : "";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var canMove = board.hasAttribute("data-can-move");
  var status = document.getElementById("board-status");
  var dragged = null;

  function columnOf(element) {
    return element.closest("[data-stage]");
  }

  function say(text, gates, moveUrl, failed) {
    status.hidden = false;
    status.className = "board-status " + (failed ? "is-error" : "is-success");
    status.textContent = "";
    var lead = document.createElement("p");
    lead.textContent = text;
    status.appendChild(lead);
    if (gates && gates.length) {
      var list = document.createElement("ul");
      gates.forEach(function (gate) {
        var item = document.createElement("li");
        item.textContent = gate;
        list.appendChild(item);
      });
      status.appendChild(list);
    }
    if (moveUrl) {
      var link = document.createElement("a");
      link.href = moveUrl;
      link.textContent = "Fill in what is missing";
      status.appendChild(link);
    }
  }

  // A column's count and total cover every deal at the stage (not only the cards shown), so a
  // move shifts both columns' figures by the card's own.
  function recount(column, delta, amount) {
    if (!column) return;
    var count = column.querySelector("[data-count]");
    if (count) count.textContent = String(parseInt(count.textContent, 10) + delta);
    var total = column.querySelector("[data-total]");
    if (total && !isNaN(amount)) {
      var current = parseFloat(total.textContent.replace(/[^0-9.-]/g, "")) || 0;
      total.textContent = Math.round(current + delta * amount).toLocaleString("en-GB");
    }
  }

  function move(card, target) {
    var from = columnOf(card);
    var fromList = card.parentElement;
    var next = card.nextElementSibling;
    if (!target || target === from) return;
    var list = target.querySelector(".board-cards");
    list.insertBefore(card, list.firstChild);
    card.classList.add("is-moving");
    var body = new FormData();
    body.append("stage", target.getAttribute("data-stage"));
    fetch(card.getAttribute("data-move-url"), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken, "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { ok: false, message: "The move failed (" + response.status + ")." };
        });
      })
      .then(function (answer) {
        card.classList.remove("is-moving");
        if (answer.ok) {
          say(answer.message, [], "", false);
          var amount = parseFloat(card.getAttribute("data-amount") || "0");
          recount(from, -1, amount);
          recount(target, 1, amount);
          return;
        }
        // Snap back to where the card was.
        fromList.insertBefore(card, next);
        card.classList.add("is-refused");
        window.setTimeout(function () { card.classList.remove("is-refused"); }, 1200);
        say(answer.message, answer.gates, answer.move_url, true);
      })
      .catch(function () {
        card.classList.remove("is-moving");
        fromList.insertBefore(card, next);
        say("The move could not be sent; check your connection and try again.", [], "", true);
      });
  }

  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  if (!canMove) return;

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".board-card") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-opportunity"));
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    board.querySelectorAll(".is-drop-target").forEach(function (c) { c.classList.remove("is-drop-target"); });
    dragged = null;
  });
  board.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".is-drop-target").forEach(function (c) {
      if (c !== column) c.classList.remove("is-drop-target");
    });
    column.classList.add("is-drop-target");
  });
  board.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("is-drop-target");
    move(dragged, column);
  });
  // Keyboard and touch: the card's "Move to…" menu does the same move.
  board.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.hasAttribute || !select.hasAttribute("data-keyboard-move") || !select.value) return;
    var card = select.closest(".board-card");
    var target = board.querySelector('[data-stage="' + select.value + '"]');
    select.value = "";
    move(card, target);
  });
})();
