// storfa: small progressive enhancements. Every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Selects and checkboxes marked data-autosubmit apply at once.
  for (const el of document.querySelectorAll("[data-autosubmit]")) {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  }
  // On a phone the facets would push every hit below the fold: fold them away
  // (the summary opens them again). Without this script they simply stay open.
  const fold = document.querySelector("details.facets-fold");
  if (fold && window.matchMedia("(max-width: 50rem)").matches) fold.open = false;
  // The passage a search hit points at: scroll to it and move focus there.
  const target = document.querySelector(".target");
  if (target) {
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  // "/" focuses the search box, as in many search tools.
  document.addEventListener("keydown", (e) => {
    const q = document.getElementById("q");
    if (e.key === "/" && q && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
      e.preventDefault();
      q.focus();
    }
  });
  setUpUpload();
  setUpAutocomplete();
});

// Suggestions under the search box: review identifiers, titles and boards
// the signed-in visitor may see (the server leaves out the rest).
function setUpAutocomplete() {
  const q = document.getElementById("q");
  const list = document.getElementById("q-suggestions");
  if (!q || !list) return;
  let timer = null;
  q.addEventListener("input", () => {
    clearTimeout(timer);
    const typed = q.value.trim();
    if (typed.length < 2 || /\s/.test(typed)) { list.replaceChildren(); return; }
    timer = setTimeout(() => {
      fetch("/api/v1/autocomplete?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { suggestions: [] }))
        .then((body) => {
          list.replaceChildren(...body.suggestions.map((s) => {
            const option = document.createElement("option");
            option.value = s.query || 'review:"' + s.review_id + '"';
            option.label = s.label;
            return option;
          }));
        })
        .catch(() => list.replaceChildren());
    }, 150);
  });
}

function setUpUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const rows = document.querySelector("#upload-results tbody");
  const labels = document.getElementById("upload-labels").dataset;

  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    for (const file of e.dataTransfer.files) send(file);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    for (const file of input.files) send(file);
    input.value = "";
  });

  function row(name) {
    const tr = document.createElement("tr");
    const cells = [document.createElement("td"), document.createElement("td"), document.createElement("td")];
    cells[0].textContent = name;
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", name);
    cells[1].appendChild(bar);
    cells.forEach((c) => tr.appendChild(c));
    rows.appendChild(tr);
    return { bar, result: cells[2] };
  }

  function show(result, status, reason, reviewId) {
    result.textContent = labels[status] || status;
    result.className = "status-" + status;
    if (reason) {
      const why = document.createElement("span");
      why.className = "reason";
      why.textContent = " — " + reason;
      result.appendChild(why);
    }
    if (reviewId) {
      const link = document.createElement("a");
      link.href = "/reviews/" + encodeURIComponent(reviewId);
      link.textContent = " " + reviewId;
      result.appendChild(link);
    }
  }

  function send(file) {
    const { bar, result } = row(file.name);
    const data = new FormData();
    data.append("files", file, file.name);
    // Who may see it: the form's choice (draft unless changed).
    const access = form.querySelector("input[name=access]:checked");
    if (access) data.append("access", access.value);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/uploads");
    xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status !== 200) {
        show(result, "failed", body.detail ? String(body.detail) : xhr.statusText);
        return;
      }
      const item = body.uploads[0];
      bar.value = 100;
      if (item.status === "rejected") { show(result, "rejected", item.reason); return; }
      show(result, "queued");
      poll(item.job_id, result);
    });
    xhr.addEventListener("error", () => show(result, "failed", ""));
    xhr.send(data);
  }

  function poll(jobId, result) {
    fetch("/api/v1/jobs/" + jobId, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((job) => {
        if (job.status === "done" && job.result) {
          show(result, job.result.status, job.result.reason, job.result.review_id);
          const level = job.result.access;
          if (level && job.result.status === "ingested") {
            // Who may see it now: a draft until its findings are decided.
            const who = document.createElement("span");
            who.className = "reason upload-access access-" + level;
            who.textContent = " — " + (labels["access" + level.charAt(0).toUpperCase() + level.slice(1)] || level);
            result.appendChild(who);
          }
          if (job.result.disclosure_findings) {
            // The disclosure check's warning: how many details may identify someone.
            const warn = document.createElement("span");
            warn.className = "reason disclosure-warning";
            warn.textContent = " — " + labels.disclosure.replace("{n}", job.result.disclosure_findings) + " ";
            if (job.result.review_id) {
              const decide = document.createElement("a");
              decide.className = "decide-findings";
              decide.href = "/reviews/" + encodeURIComponent(job.result.review_id) + "#disclosure";
              decide.textContent = labels.decide;
              warn.appendChild(decide);
            }
            result.appendChild(warn);
          }
        } else if (job.status === "failed") {
          show(result, "failed", job.error);
        } else {
          show(result, job.status);
          setTimeout(() => poll(jobId, result), 1000);
        }
      })
      .catch(() => setTimeout(() => poll(jobId, result), 2000));
  }
}
