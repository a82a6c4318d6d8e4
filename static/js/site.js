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

// The staff sidebar (templates/components/sidebar.html): below 992px a drawer the menu
// button opens; from 992px always shown, narrowed to its icons on request (remembered).
(function () {
  "use strict";
  var KEY = "xs-sidebar-narrow";
  function shell() { return document.querySelector("[data-shell]"); }
  function wide() { return window.matchMedia("(min-width: 992px)").matches; }
  function setNarrow(on) {
    var s = shell();
    if (!s) return;
    s.classList.toggle("is-collapsed", on);
    document.querySelectorAll("[data-sidebar-collapse]").forEach(function (b) { b.setAttribute("aria-pressed", String(on)); });
    try { window.localStorage.setItem(KEY, on ? "1" : ""); } catch (e) { /* private mode */ }
  }
  function syncToggle() {
    var side = document.getElementById("sidebar");
    var open = wide() ? !(shell() && shell().classList.contains("is-collapsed")) : !!(side && side.classList.contains("is-open"));
    document.querySelectorAll("[data-sidebar-toggle]").forEach(function (b) { b.setAttribute("aria-expanded", String(open)); });
  }
  function init() {
    var narrow = false;
    try { narrow = window.localStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
    if (narrow) setNarrow(true);
    syncToggle();
  }
  document.addEventListener("click", function (event) {
    var t = event.target instanceof Element ? event.target : null;
    if (!t) return;
    var side = document.getElementById("sidebar");
    if (t.closest("[data-sidebar-toggle]")) {
      if (wide()) setNarrow(!(shell() && shell().classList.contains("is-collapsed")));
      else if (side) {
        side.classList.toggle("is-open");
        if (side.classList.contains("is-open")) { var first = side.querySelector("a"); if (first) first.focus(); }
      }
      syncToggle();
    } else if (t.closest("[data-sidebar-collapse]")) {
      setNarrow(!(shell() && shell().classList.contains("is-collapsed")));
      syncToggle();
    } else if (side && side.classList.contains("is-open") && !t.closest("#sidebar")) {
      side.classList.remove("is-open");
      syncToggle();
    }
  });
  document.addEventListener("keydown", function (event) {
    var side = document.getElementById("sidebar");
    if (event.key === "Escape" && side && side.classList.contains("is-open")) {
      side.classList.remove("is-open");
      syncToggle();
      var b = document.querySelector("[data-sidebar-toggle]");
      if (b) b.focus();
    }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Toasts (templates/components/toasts.html): xsToast(text, kind), or an htmx response's
// HX-Trigger {"toast": "text"}. They leave by themselves after a few seconds.
(function () {
  "use strict";
  function toast(text, kind) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "xs-toast xs-toast-" + (kind || "info");
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    var body = document.createElement("div");
    body.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", box.getAttribute("data-close-label") || "Close");
    close.addEventListener("click", function () { el.remove(); });
    el.appendChild(body);
    el.appendChild(close);
    box.appendChild(el);
    window.setTimeout(function () { el.remove(); }, 6000);
  }
  window.xsToast = toast;
  document.addEventListener("toast", function (event) {
    var d = event.detail;
    toast(typeof d === "string" ? d : (d && (d.value || d.text)) || "", d && d.kind);
  });
})();

// The photo picker: a file input for images (<input type=file multiple accept="image/…">)
// gets previews, each with a remove button, and keeps adding to what was chosen. Without
// script the plain input works; the server checks the photos either way.
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.enhanced || typeof DataTransfer === "undefined") return;
    input.dataset.enhanced = "1";
    var max = parseInt(input.getAttribute("data-max") || "6", 10);
    var chosen = new DataTransfer();
    var grid = document.createElement("div");
    grid.className = "xs-photos";
    var add = document.createElement("label");
    add.className = "xs-photo-add";
    add.setAttribute("for", input.id);
    add.innerHTML = '<i class="bi bi-camera" aria-hidden="true"></i>';
    var addText = document.createElement("span");
    addText.textContent = input.getAttribute("data-add-label") || "+";
    add.appendChild(addText);
    input.classList.add("xs-photo-input-enhanced");
    input.insertAdjacentElement("afterend", grid);
    function render() {
      grid.textContent = "";
      Array.prototype.forEach.call(chosen.files, function (file, index) {
        var cell = document.createElement("div");
        cell.className = "xs-photo";
        var img = document.createElement("img");
        img.alt = file.name;
        var reader = new FileReader();
        reader.onload = function () { img.src = String(reader.result); };
        reader.readAsDataURL(file);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.setAttribute("aria-label", (input.getAttribute("data-remove-label") || "Remove") + " " + file.name);
        remove.innerHTML = '<i class="bi bi-x-lg" aria-hidden="true"></i>';
        remove.addEventListener("click", function () {
          var next = new DataTransfer();
          Array.prototype.forEach.call(chosen.files, function (f, i) { if (i !== index) next.items.add(f); });
          chosen = next;
          input.files = chosen.files;
          render();
          input.focus();
        });
        cell.appendChild(img);
        cell.appendChild(remove);
        grid.appendChild(cell);
      });
      if (chosen.files.length < max) grid.appendChild(add);
    }
    input.addEventListener("change", function () {
      var next = new DataTransfer();
      Array.prototype.forEach.call(chosen.files, function (f) { next.items.add(f); });
      Array.prototype.forEach.call(input.files, function (f) {
        if (next.files.length < max) next.items.add(f);
        else if (window.xsToast) window.xsToast(input.getAttribute("data-too-many") || "", "warning");
      });
      chosen = next;
      input.files = chosen.files;
      render();
    });
    render();
  }
  function enhanceAll() {
    document.querySelectorAll('input[type=file][multiple][accept^="image/"]').forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhanceAll);
  else enhanceAll();
})();

// A step bar over a one-page form (components/steps.html): the step of the section that
// has the focus ([data-step="n"]) is the current one.
document.addEventListener("focusin", function (event) {
  var t = event.target instanceof Element ? event.target : null;
  var section = t && t.closest("[data-step]");
  var form = section && section.closest("form");
  var bar = form && (form.parentElement || document).querySelector(".xs-steps");
  if (!bar) return;
  var n = parseInt(section.getAttribute("data-step"), 10);
  bar.querySelectorAll("li").forEach(function (li, i) {
    li.classList.toggle("is-done", i + 1 < n);
    li.classList.toggle("is-current", i + 1 === n);
    if (i + 1 === n) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  });
});
