// The capacity board: one tab stop for the whole grid of cells, then the arrow
// keys (Home/End for a row's ends) move between cells, as in a spreadsheet.
// Each cell holds its level in words and its figures, read when focused.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table[data-capacity-grid]").forEach((table) => {
    const rows = Array.from(table.querySelectorAll("tbody tr")).map((tr) =>
      Array.from(tr.querySelectorAll("[data-cell]")),
    );
    const moves = {
      ArrowRight: (r, c) => [r, c + 1],
      ArrowLeft: (r, c) => [r, c - 1],
      ArrowDown: (r, c) => [r + 1, c],
      ArrowUp: (r, c) => [r - 1, c],
      Home: (r) => [r, 0],
      End: (r) => [r, rows[r].length - 1],
    };
    rows.forEach((cells, r) =>
      cells.forEach((cell, c) => {
        cell.addEventListener("keydown", (event) => {
          const move = moves[event.key];
          if (!move) return;
          const [nr, nc] = move(r, c);
          const target = rows[nr] && rows[nr][nc];
          if (!target) return;
          event.preventDefault();
          cell.setAttribute("tabindex", "-1");
          target.setAttribute("tabindex", "0");
          target.focus();
        });
      }),
    );
  });
});
