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

// Answers a learner writes are kept in localStorage (never sent) and print with the handout.
(function () {
  "use strict";
  var PREFIX = "history-lessons:";
  var store = null;
  try { store = window.localStorage; store.getItem(PREFIX); } catch (e) { store = null; }
  if (!store) { return; }

  function get(key) { try { return store.getItem(PREFIX + key) || ""; } catch (e) { return ""; } }
  function put(key, value) {
    try {
      if (value) { store.setItem(PREFIX + key, value); } else { store.removeItem(PREFIX + key); }
    } catch (e) { /* full or blocked */ }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name; });
  }

  // The lesson page: fill the boxes from what was kept, keep every change.
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-keep]"), function (box) {
    var key = box.getAttribute("data-keep");
    box.value = get(key);
    box.addEventListener("input", function () { put(key, box.value); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-form]"), function (form) {
    var key = form.getAttribute("data-keep-form");
    var kept = {};
    try { kept = JSON.parse(get(key) || "{}") || {}; } catch (e) { kept = {}; }
    fields(form).forEach(function (el) { if (kept[el.name]) { el.value = kept[el.name]; } });
    form.addEventListener("input", function () {
      var data = {};
      var any = false;
      fields(form).forEach(function (el) { if (el.value) { data[el.name] = el.value; any = true; } });
      put(key, any ? JSON.stringify(data) : "");
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  });

  // The handout: kept text replaces the ruled lines it needs.
  function fill(space, text) {
    if (!text) { return false; }
    var written = document.createElement("div");
    written.className = "kept-text";
    written.textContent = text;
    space.insertBefore(written, space.firstChild);
    var rules = space.querySelectorAll(".rule");
    var used = text.split("\n").reduce(function (n, line) { return n + Math.max(1, Math.ceil(line.length / 75)); }, 0);
    for (var i = 0; i < Math.min(used, rules.length); i++) { rules[i].parentNode.removeChild(rules[i]); }
    return true;
  }
  var filled = 0;
  Array.prototype.forEach.call(document.querySelectorAll(".answer-space[data-keep]"), function (space) {
    if (fill(space, get(space.getAttribute("data-keep")))) { filled++; }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-keep-print]"), function (box) {
    var kept = {};
    try { kept = JSON.parse(get(box.getAttribute("data-keep-print")) || "{}") || {}; } catch (e) { kept = {}; }
    Array.prototype.forEach.call(box.querySelectorAll("[data-field]"), function (cell) {
      var value = kept[cell.getAttribute("data-field")];
      if (!value) { return; }
      filled++;
      if (cell.classList.contains("answer-space")) { fill(cell, value); } else { cell.textContent = value; }
    });
  });
  var status = document.querySelector("[data-kept-status]");
  if (status && filled) {
    status.textContent = filled + " kept answer" + (filled === 1 ? " is" : "s are") +
      " filled in: they print from this browser (the PDF has empty lines).";
    status.hidden = false;
  }
})();
