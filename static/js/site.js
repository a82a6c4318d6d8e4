// Behaviour every page may use, kept out of the HTML: the Content-Security-Policy refuses
// inline event handlers (onsubmit="…") and javascript: links.
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // <a data-back href="fallback">: back to the previous page, or the fallback without one.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  // <textarea data-maxlength="2000" data-counter="…" data-counter-over="…">: a live count
  // of the characters under the box (core.forms.CountedTextField). Nothing is cut: a text
  // over the limit stays as typed and the count says by how much it is over.
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }
  function count(box) {
    // As the server counts: code points, a line end once.
    return Array.from(box.value.replace(/\r\n?/g, "\n").trim()).length;
  }
  function update(box) {
    var out = box.counterElement;
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var n = count(box);
    var over = n > limit;
    out.textContent = fill(
      box.getAttribute(over ? "data-counter-over" : "data-counter") || "%(count)s / %(limit)s",
      { count: n, limit: limit, over: n - limit }
    );
    out.classList.toggle("text-danger", over);
    out.classList.toggle("text-secondary", !over);
    box.classList.toggle("is-invalid", over);
  }
  function attach(box) {
    if (box.counterElement) return;
    var out = document.createElement("div");
    out.className = "form-text text-secondary text-end";
    out.setAttribute("aria-live", "polite");
    out.setAttribute("data-counter-for", box.id || box.name);
    box.counterElement = out;
    box.insertAdjacentElement("afterend", out);
    update(box);
  }
  function attachAll() {
    document.querySelectorAll("textarea[data-maxlength]").forEach(attach);
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLTextAreaElement && box.counterElement) update(box);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
  document.addEventListener("htmx:afterSettle", attachAll);
})();
