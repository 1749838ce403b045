/* The map of actors and their links (templates/bassins/map.html).
 *
 * Draws the graph the server computed (positions included: the same at every
 * visit) with cytoscape, served from the portal. The colours of the kinds are
 * read from the legend, so they live in one place (static/css/network.css).
 * Keyboard: the arrow keys move from one operator to the next, Enter lists its
 * links in the side panel (buttons), Escape leaves; a link's evidence is the
 * server's own HTML, the same as the table alternative's. On a small screen
 * the map is not drawn: the table serves instead. */
(function () {
  "use strict";

  var container = document.getElementById("network-map");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }
  if (window.matchMedia("(max-width: 767.98px)").matches) {
    return;
  }
  var status = document.getElementById("map-status");
  var heading = document.getElementById("map-panel-heading");
  var hint = document.getElementById("map-panel-hint");
  var list = document.getElementById("map-panel-links");
  var evidence = document.getElementById("map-evidence");
  var query = container.dataset.query || "";
  var colours = {};
  document.querySelectorAll(".kind-swatch[data-kind]").forEach(function (swatch) {
    colours[swatch.dataset.kind] = window.getComputedStyle(swatch).backgroundColor;
  });

  function announce(text) {
    status.textContent = text;
  }

  function showEvidence(edge) {
    // The address of a link's evidence, from the pattern the page gives (the data carries slugs only).
    var pair = "/" + edge.source().data("slug") + "/" + edge.target().data("slug") + "/";
    var url = container.dataset.linkUrl.replace("/slug-a/slug-b/", pair) + (query ? "?" + query : "");
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        // The server's own template, escaped there like every page.
        evidence.innerHTML = html;
        var title = document.getElementById("evidence-heading");
        if (title) {
          title.focus();
        }
      })
      .catch(function () {
        evidence.textContent = container.dataset.error || "";
      });
  }

  function linkButton(cy, node, edge) {
    var other = edge.source().id() === node.id() ? edge.target() : edge.source();
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 text-start";
    button.textContent =
      other.data("label") + " — " + edge.data("kinds").join(", ") + " (" + edge.data("count") + ")";
    button.addEventListener("click", function () {
      cy.elements().unselect();
      edge.select();
      showEvidence(edge);
    });
    item.appendChild(button);
    return item;
  }

  function showNode(cy, node, focusList) {
    cy.elements().unselect();
    node.select();
    heading.textContent = node.data("name") + " · " + node.data("kindLabel");
    hint.textContent = "";
    var directory = document.createElement("a");
    directory.href = node.data("url");
    directory.textContent = node.data("name");
    hint.appendChild(directory);
    list.replaceChildren();
    evidence.replaceChildren();
    node.connectedEdges().forEach(function (edge) {
      list.appendChild(linkButton(cy, node, edge));
    });
    announce(node.data("name") + ", " + node.data("kindLabel") + " : " + node.connectedEdges().length);
    if (focusList) {
      var first = list.querySelector("button");
      (first || heading).focus();
    }
  }

  function draw(data) {
    var cy = window.cytoscape({
      container: container,
      elements: data.nodes.concat(data.edges),
      layout: { name: "preset", fit: true, padding: 30 },
      minZoom: 0.2,
      maxZoom: 4,
      // Fluid with hundreds of operators: while the view moves, the edges are
      // hidden and the picture is a texture, drawn again once it stops.
      hideEdgesOnViewport: data.edges.length > 300,
      textureOnViewport: data.edges.length > 300,
      style: [
        {
          selector: "node",
          style: {
            "background-color": function (ele) {
              return colours[ele.data("kind")] || "#999999";
            },
            "border-color": "#222222",
            "border-width": 1,
            width: "data(size)",
            height: "data(size)",
            label: "data(label)",
            "font-size": 12,
            "min-zoomed-font-size": 6,
            "text-valign": "bottom",
            "text-margin-y": 3,
            color: "#111111",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
          },
        },
        {
          selector: "edge",
          style: { width: "data(width)", "line-color": "#7a808a", opacity: 0.7, "curve-style": "haystack" },
        },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#0b5ed7" } },
        { selector: "edge:selected", style: { "line-color": "#0b5ed7", opacity: 1 } },
      ],
    });
    // Said once the first frame is painted (the benchmark and the tests wait for it).
    window.requestAnimationFrame(function () {
      container.dataset.drawn = String(data.nodes.length);
    });
    var order = cy.nodes().sort(function (a, b) {
      return a.data("label").localeCompare(b.data("label"));
    });
    var current = -1;
    cy.on("tap", "node", function (event) {
      current = order.indexOf(event.target);
      showNode(cy, event.target, false);
    });
    cy.on("tap", "edge", function (event) {
      cy.elements().unselect();
      event.target.select();
      showEvidence(event.target);
    });
    container.addEventListener("keydown", function (event) {
      if (!order.length) {
        return;
      }
      if (["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"].indexOf(event.key) >= 0) {
        event.preventDefault();
        var step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : -1;
        current = (current + step + order.length) % order.length;
        showNode(cy, order[current], false);
      } else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        showNode(cy, order[current], true);
      } else if (event.key === "Escape") {
        cy.elements().unselect();
        container.blur();
      }
    });
  }

  fetch(container.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      return response.json();
    })
    .then(draw);
})();
