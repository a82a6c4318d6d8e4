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
})();
