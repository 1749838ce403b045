// The live session and the minutes: the timer of the current agenda item
// (overrun shown and announced once), focus kept sensible after htmx swaps,
// and the print button. Loaded with <script defer>; no inline script (CSP).
(() => {
  "use strict";

  const announced = new Set();

  function format(totalSeconds) {
    const seconds = Math.max(0, Math.floor(totalSeconds));
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function announce(message) {
    const region = document.getElementById("live-announcer");
    if (region && message) {
      region.textContent = "";
      // A fresh text node after clearing makes screen readers read it.
      window.setTimeout(() => { region.textContent = message; }, 50);
    }
  }

  function tick() {
    document.querySelectorAll("[data-live-timer]").forEach((timer) => {
      const started = Date.parse(timer.dataset.startedAt);
      if (Number.isNaN(started)) {
        return;
      }
      if (timer.dataset.offset === undefined) {
        // The server's clock minus this browser's: the elapsed time is the server's.
        const serverNow = Date.parse(timer.dataset.serverNow);
        timer.dataset.offset = String(Number.isNaN(serverNow) ? 0 : serverNow - Date.now());
      }
      const elapsed = (Date.now() + Number(timer.dataset.offset) - started) / 1000;
      const over = elapsed > Number(timer.dataset.timebox) * 60;
      const display = timer.querySelector("[data-elapsed]");
      if (display) {
        display.textContent = format(elapsed);
      }
      timer.classList.toggle("text-danger", over);
      timer.classList.toggle("fw-bold", over);
      const badge = timer.querySelector("[data-overrun-badge]");
      if (badge) {
        badge.classList.toggle("d-none", !over);
      }
      const card = timer.closest("[data-live-card]");
      if (card) {
        card.classList.toggle("border-danger", over);
        card.classList.toggle("border-primary", !over);
      }
      const key = `${timer.dataset.item}@${timer.dataset.startedAt}`;
      if (over && !announced.has(key)) {
        announced.add(key);
        announce(timer.dataset.overrunMessage);
      }
    });
  }

  // Another coordinator may move through the agenda: refresh it every
  // 20 seconds, unless the keyboard is in it (a swap would lose the focus).
  let refreshing = false;

  function refreshAgenda() {
    const agenda = document.getElementById("live-agenda");
    if (!agenda || !window.htmx || document.hidden || agenda.contains(document.activeElement)) {
      return;
    }
    refreshing = true;
    window.htmx
      .ajax("GET", agenda.dataset.refreshUrl, { target: "#live-agenda", swap: "outerHTML" })
      .finally(() => { refreshing = false; });
  }

  function restoreFocus() {
    if (refreshing) {
      return;
    }
    // After a swap removed the focused control, move to the element the
    // server marked (an invalid field first, else data-autofocus).
    const active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) {
      return;
    }
    const target = document.querySelector(".is-invalid") || document.querySelector("[data-autofocus]");
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    tick();
    window.setInterval(tick, 1000);
    window.setInterval(refreshAgenda, 20000);
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  });
  document.addEventListener("htmx:afterSettle", () => {
    tick();
    restoreFocus();
  });
})();
