// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Glossary terms: show the definition (the element aria-describedby points at) in a
  // popup on hover, focus and tap; Escape closes it. WCAG 1.4.13: hoverable, dismissable.
  var tip = null;
  var owner = null;
  var hideTimer = null;

  function ensureTip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "term-tip";
      tip.hidden = true;
      tip.setAttribute("aria-hidden", "true"); // the link's description already says it
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(term) {
    var def = document.getElementById(term.getAttribute("aria-describedby") || "");
    if (!def) { return; }
    clearTimeout(hideTimer);
    var box = ensureTip();
    box.textContent = def.textContent;
    box.hidden = false;
    var r = term.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8));
    box.style.left = left + "px";
    box.style.top = (r.bottom + window.scrollY + 6) + "px";
    owner = term;
  }

  function hide() {
    if (tip) { tip.hidden = true; }
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  function termOf(node) {
    return node && node.closest ? node.closest("a.term[aria-describedby]") : null;
  }

  document.addEventListener("mouseover", function (e) { var t = termOf(e.target); if (t) { show(t); } });
  document.addEventListener("mouseout", function (e) { if (termOf(e.target)) { scheduleHide(); } });
  document.addEventListener("focusin", function (e) { var t = termOf(e.target); if (t) { show(t); } });
  document.addEventListener("focusout", function (e) { if (termOf(e.target)) { hide(); } });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  // Touch: the first tap shows the definition, a second tap follows the link.
  document.addEventListener("click", function (e) {
    var t = termOf(e.target);
    if (t && e.pointerType === "touch" && owner !== t) {
      e.preventDefault();
      show(t);
    } else if (!t && tip && !tip.contains(e.target)) {
      hide();
    }
  });

  // Answers: check without leaving the page; the server renders the feedback.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("answer-form") || !window.fetch) { return; }
    e.preventDefault();
    var out = document.getElementById(form.getAttribute("data-feedback"));
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      out.innerHTML = data.html; // rendered and escaped by the server's template
    }).catch(function () {
      form.submit();
    });
  });
})();
