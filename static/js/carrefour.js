// Carrefour's small behaviours; no inline scripts anywhere (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions marked with data-confirm.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A refused form says at its top that nothing was saved, and why
  // (templates/partials/form_error_summary.html): take the focus there,
  // on a full page and in a part of the page htmx just replaced.
  const focusSummary = (root) => {
    const summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  };
  focusSummary(document);
  document.body.addEventListener("htmx:afterSwap", (event) => focusSummary(event.target));

  // Text refused after the fact (templates/partials/refused_text.html):
  // one button copies all of it, each part under its label.
  document.querySelectorAll("[data-refused]").forEach((section) => {
    const button = section.querySelector("[data-copy-refused]");
    const status = section.querySelector("[data-copy-status]");
    const fields = [...section.querySelectorAll("[data-refused-text]")];
    if (!button) return;
    const text = () =>
      fields.length === 1 ? fields[0].value : fields.map((f) => `${f.dataset.label}\n${f.value}`).join("\n\n");
    const fallback = () => {
      // Older browsers, or a page not served over HTTPS: copy through a selection.
      const scratch = document.createElement("textarea");
      scratch.value = text();
      scratch.setAttribute("readonly", "");
      scratch.className = "visually-hidden";
      document.body.appendChild(scratch);
      scratch.select();
      const done = document.execCommand("copy");
      scratch.remove();
      return done;
    };
    button.hidden = false;
    button.addEventListener("click", async () => {
      let done = false;
      try {
        await navigator.clipboard.writeText(text());
        done = true;
      } catch {
        done = fallback();
      }
      status.textContent = done ? button.dataset.copied : button.dataset.copyFailed;
    });
  });
});
