/* The shortlist's star without a page load, a copy button for the link to send oneself,
   and at most four positions ticked for the comparison. Without this file every form
   works the same through a plain POST or GET. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }
  var LABELS = { true: "Remove from shortlist", false: "Add to shortlist" };

  function setStar(button, starred) {
    button.setAttribute("aria-pressed", starred ? "true" : "false");
    button.name = starred ? "remove" : "add";
    button.querySelector(".star__icon").textContent = starred ? "\u2605" : "\u2606";
    button.querySelector(".star__label").textContent = LABELS[starred];
  }

  function setCount(count) {
    document.querySelectorAll("[data-shortlist-count]").forEach(function (element) {
      element.textContent = count ? String(count) : "";
      if (count) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = count === 1 ? " position" : " positions";
        element.appendChild(hidden);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-star-form]")) {
      return;
    }
    var button = event.submitter;
    var next = form.querySelector('input[name="next"]');
    if (next) {
      next.value = window.location.pathname + window.location.search;  // after in-place searches
    }
    if (!button || !button.classList.contains("star")) {
      return;  // an older browser: the plain form does it
    }
    event.preventDefault();
    if (button.classList.contains("is-busy")) {
      return;
    }
    var data = new FormData(form);
    data.append(button.name, button.value);
    button.classList.add("is-busy");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        document.querySelectorAll('button.star[data-star="' + answer.id + '"]').forEach(
          function (other) { setStar(other, answer.starred); }
        );
        setCount(answer.count);
      })
      .catch(function () {
        // The plain form says why (a full shortlist, say) on its own page.
        var fallback = document.createElement("input");
        fallback.type = "hidden";
        fallback.name = button.name;
        fallback.value = button.value;
        form.appendChild(fallback);
        form.submit();
      })
      .finally(function () {
        button.classList.remove("is-busy");
      });
  });

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  onReady(function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = "Copied";
        }, function () {
          field.select();
        });
      });
    });

    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-compare]"));
    var compareForm = document.getElementById("compare-form");
    var limit = 4;
    function update() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      boxes.forEach(function (box) {
        box.disabled = !box.checked && ticked >= limit;
      });
      if (compareForm) {
        compareForm.querySelector("button").disabled = ticked < 2;
      }
    }
    if (boxes.length) {
      boxes.forEach(function (box) { box.addEventListener("change", update); });
      update();
    }
  });
})();
