/* Progressive enhancement for the search page: filters apply as soon as they change and
   the facet counts and results are swapped in place; the URL keeps every state (back and
   forward work). Without this file the page works the same through plain GET forms.
   No inline scripts anywhere: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  onReady(function () {
    var form = document.getElementById("search-form");
    if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
      return;
    }
    var filters = document.getElementById("filters");
    if (filters && window.matchMedia("(max-width: 820px)").matches) {
      filters.removeAttribute("open");
    }
    var searchPath = new URL(form.action, window.location.href).pathname;
    var controller = null;
    // The search the page shows: a jump to a fragment ("Skip to results") fires popstate
    // too, and must not reload the results under the reader's keyboard focus.
    var shown = window.location.pathname + window.location.search;

    function formUrl() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value !== "") {
          params.append(key, value);
        }
      });
      var query = params.toString();
      return searchPath + (query ? "?" + query : "");
    }

    function syncQuery(url) {
      var input = document.getElementById("q");
      if (input) {
        input.value = new URL(url, window.location.href).searchParams.get("q") || "";
      }
    }

    function showResults() {
      var results = document.getElementById("results");
      results.scrollIntoView({ block: "start" });
      results.focus({ preventScroll: true });
    }

    function load(url, push, scrollToResults) {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var focusedId = document.activeElement ? document.activeElement.id : "";
      document.body.classList.add("is-loading");
      fetch(url, {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: controller.signal
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          ["facets", "results"].forEach(function (name) {
            var source = doc.querySelector('template[data-region="' + name + '"]');
            var target = document.getElementById(name);
            if (source && target) {
              target.replaceChildren(document.importNode(source.content, true));
            }
          });
          var title = doc.querySelector('template[data-region="title"]');
          if (title) {
            document.title = title.content.textContent.trim();
          }
          if (push) {
            window.history.pushState({ search: true }, "", url);
          }
          shown = url;
          if (focusedId && focusedId !== "q") {
            var focused = document.getElementById(focusedId);
            if (focused) {
              focused.focus({ preventScroll: true });
            }
          }
          if (scrollToResults) {
            showResults();
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            window.location.assign(url);
          }
        })
        .finally(function () {
          document.body.classList.remove("is-loading");
        });
    }

    form.addEventListener("change", function (event) {
      if (event.target && event.target.id === "q") {
        return; // the text applies on Enter or the Search button
      }
      if (event.target && event.target.form && event.target.form !== form) {
        return; // a field of another form inside this one (the e-mail alert's)
      }
      load(formUrl(), true, false);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var toResults = Boolean(event.submitter && event.submitter.hasAttribute("data-show-results"));
      if (toResults && filters) {
        filters.removeAttribute("open"); // the phone's filter panel folds away
      }
      var url = formUrl();
      if (toResults && url === window.location.pathname + window.location.search) {
        showResults(); // the results already answer these filters
        return;
      }
      load(url, true, toResults);
    });

    form.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      if (!link || (link.getAttribute("href") || "").charAt(0) === "#" ||
          event.defaultPrevented || event.button !== 0 ||
          event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      var target = new URL(link.href, window.location.href);
      if (target.origin !== window.location.origin || target.pathname !== searchPath) {
        return;
      }
      event.preventDefault();
      syncQuery(target.href);
      load(target.pathname + target.search, true, link.closest(".pagination") !== null);
    });

    window.addEventListener("popstate", function () {
      var url = window.location.pathname + window.location.search;
      if (url === shown) {
        return;
      }
      syncQuery(window.location.href);
      load(url, false, false);
    });
  });
})();
