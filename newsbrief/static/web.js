// The progress page polls its briefing job and opens the briefing when it is done.
// Everything from the server goes into the page as text (textContent), never as markup.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job) { return; }
  var id = job.getAttribute("data-job");
  var bar = document.getElementById("job-bar");
  var stage = document.getElementById("job-stage");
  var error = document.getElementById("job-error");
  var labels = {
    queued: "Waiting for a free worker…", starting: "Starting…", read: "Reading and fetching the articles",
    file: "Filing the articles into stories",
    brief: "Briefing: grouping sources, choosing sentences, finding who said what", done: "Done"
  };
  function show(data) {
    var p = data.progress || {};
    bar.max = p.total || 1;
    bar.value = p.done || 0;
    stage.textContent = labels[p.stage] || p.stage || "";
    if (data.status === "done") { window.location.assign("/briefings/" + encodeURIComponent(id)); return true; }
    if (data.status === "failed") {
      error.textContent = (data.error && data.error.message) || "the briefing failed";
      error.hidden = false;
      stage.textContent = "Failed";
      return true;
    }
    return false;
  }
  function poll() {
    fetch("/api/briefings/" + encodeURIComponent(id), { headers: { "accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (!show(data)) { setTimeout(poll, 600); } })
      .catch(function () { setTimeout(poll, 2000); });
  }
  if (job.getAttribute("data-status") !== "failed") { poll(); }
})();

// Citation popovers open on hover or focus (CSS); keep an open one inside the window.
(function () {
  "use strict";
  function place(event) {
    var cite = event.target.closest ? event.target.closest(".cite") : null;
    var pop = cite ? cite.querySelector(".pop") : null;
    if (!pop) { return; }
    var left = cite.getBoundingClientRect().left;
    var width = pop.offsetWidth || 0;
    var offset = Math.min(-8, window.innerWidth - 12 - left - width);
    pop.style.left = Math.max(offset, 8 - left) + "px";
  }
  document.addEventListener("mouseover", place);
  document.addEventListener("focusin", place);
})();
