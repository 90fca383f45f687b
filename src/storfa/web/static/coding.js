// storfa coding pages: keys in the suggestion queue, selecting text to code
// in the coding view, and the auto-coding progress bar. Every action is also
// an ordinary form or link, so the pages work without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  setUpQueueKeys();
  setUpSelection();
  setUpProgress();
});

function typing() {
  const el = document.activeElement;
  return el && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

// a accept, r reject, c re-code (choose a code, then Enter), j/k or arrows
// next/previous, u undo: each presses the page's own button or link.
function setUpQueueKeys() {
  const item = document.getElementById("queue-item");
  const undo = document.getElementById("undo-button");
  if (!item && !undo) return;
  const recode = document.getElementById("recode-code");
  if (recode) {
    recode.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && recode.value) {
        e.preventDefault();
        document.getElementById("recode-button").click();
      } else if (e.key === "Escape") {
        recode.blur();
      }
    });
  }
  const actions = {
    a: "accept-button", r: "reject-button", u: "undo-button",
    j: "next-item", ArrowRight: "next-item", ArrowDown: "next-item",
    k: "prev-item", ArrowLeft: "prev-item", ArrowUp: "prev-item",
  };
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing()) return;
    if (!document.getElementById("queue-item") && e.key !== "u") return;
    if (e.key === "c" && recode) {
      e.preventDefault();
      recode.focus();
      return;
    }
    const target = document.getElementById(actions[e.key] || "");
    if (target) {
      e.preventDefault();
      target.click();
    }
  });
}

// Offsets into the review's full text: each .codable element carries
// data-start and holds exactly full_text[start:end], so the selection's
// offset is data-start plus the characters before it in that element.
// Counted in code points, as the server counts them.
function codePoints(text) {
  return Array.from(text).length;
}

function offsetOf(node, offset) {
  const el = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement).closest(".codable");
  if (!el) return null;
  const before = document.createRange();
  before.selectNodeContents(el);
  before.setEnd(node, offset);
  return Number(el.dataset.start) + codePoints(before.toString());
}

function setUpSelection() {
  const text = document.getElementById("codable-text");
  const form = document.getElementById("code-form");
  if (!text || !form) return;
  const start = document.getElementById("span-start");
  const end = document.getElementById("span-end");
  const preview = document.getElementById("selection-preview");
  const take = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    const from = offsetOf(range.startContainer, range.startOffset);
    const to = offsetOf(range.endContainer, range.endOffset);
    if (from === null || to === null || to <= from) return;
    start.value = String(from);
    end.value = String(to);
    preview.textContent = range.toString();
    form.classList.add("has-selection");
  };
  text.addEventListener("mouseup", take);
  text.addEventListener("keyup", take);
  document.addEventListener("selectionchange", () => {
    // Keyboard and script selections too; the form keeps the last one made.
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && text.contains(selection.anchorNode)) take();
  });
}

// The auto-coding run's progress, polled until it ends.
function setUpProgress() {
  const box = document.getElementById("auto-job");
  const unfinished = (state) => state === "running" || state === "waiting";
  if (!box || !unfinished(box.dataset.state)) return;
  const bar = document.getElementById("auto-progress");
  const status = document.getElementById("auto-status");
  const messages = document.getElementById("auto-messages").dataset;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_m, k) => String(values[k] ?? ""));
  const poll = () => {
    fetch("/coding/auto/" + encodeURIComponent(box.dataset.job), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((job) => {
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        box.dataset.state = job.state;
        if (unfinished(job.state)) {
          status.textContent = fill(job.state === "running" ? messages.running : messages.waiting, job);
          setTimeout(poll, 1000);
        } else {
          status.textContent = fill(job.state === "done" ? messages.done : messages.failed,
            { n: job.suggestions, error: job.error });
          // The counts on the page are from before the run: show the new ones.
          if (job.state === "done") window.location.reload();
        }
      })
      .catch(() => setTimeout(poll, 3000));
  };
  poll();
}
