// The info round: a live character counter under each answer, and the print button.
// The counter's words come translated from the form's data-msg-* attributes.
document.addEventListener("DOMContentLoaded", () => {
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  document.querySelectorAll("form[data-msg-left]").forEach((form) => {
    form.querySelectorAll("[data-counter-for]").forEach((counter) => {
      const field = document.getElementById(counter.getAttribute("data-counter-for"));
      if (!field) return;
      const limit = Number(field.getAttribute("data-counter"));
      const update = () => {
        // A line break counts as one character, as on the server.
        const count = field.value.replace(/\r\n/g, "\n").trim().length;
        const left = limit - count;
        const template = left >= 0 ? form.dataset.msgLeft : form.dataset.msgOver;
        counter.textContent = fill(template, { count, limit, left, over: -left });
        counter.classList.toggle("text-danger", left < 0);
        counter.classList.toggle("fw-semibold", left < 20);
      };
      const described = field.getAttribute("aria-describedby") || "";
      field.setAttribute("aria-describedby", `${described} ${counter.id}`.trim());
      field.addEventListener("input", update);
      update();
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
