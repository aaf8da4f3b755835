/* Read and select: turn a mouse selection in the article into start/end offsets.
 *
 * Offsets count Unicode code points of the stored article text (as the server does), so
 * characters outside the Basic Multilingual Plane count once. Each paragraph's text element
 * carries its start offset; paragraphs are joined by "\n\n" in the stored text.
 * No framework, no inline script (the admin runs under a Content-Security-Policy).
 */
(function () {
  "use strict";

  var reader = document.querySelector("[data-curation-reader]");
  var form = document.getElementById("excerpt-form");
  if (!reader || !form) {
    return;
  }
  var text = document.getElementById("article-text");
  var startInput = form.elements.start;
  var endInput = form.elements.end;
  var paragraphSelect = form.elements.paragraph;
  var preview = document.getElementById("selection-preview");
  var emptyMessage = preview.textContent;

  function codePoints(value) {
    return Array.from(value).length;
  }

  function paragraphText(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    var paragraph = element && element.closest("p.para");
    return paragraph && text.contains(paragraph) ? paragraph.querySelector(".para-text") : null;
  }

  // The offset in the stored text of a point (node, offset) near a paragraph's text element.
  function offsetOf(para, node, offset) {
    var start = Number(para.dataset.start);
    if (!para.contains(node)) {
      // The point is in the paragraph's number: before its text, or after it.
      var before = para.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING;
      return before ? start : Number(para.dataset.end);
    }
    var range = document.createRange();
    range.setStart(para, 0);
    range.setEnd(node, offset);
    return start + codePoints(range.toString());
  }

  function show(message) {
    preview.textContent = message;
  }

  function onSelectionChange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    var first = paragraphText(range.startContainer);
    var last = paragraphText(range.endContainer);
    if (!first || !last) {
      return;
    }
    var start = offsetOf(first, range.startContainer, range.startOffset);
    var end = offsetOf(last, range.endContainer, range.endOffset);
    var words = selection.toString().trim();
    if (end <= start || !words) {
      return;
    }
    startInput.value = String(start);
    endInput.value = String(end);
    if (paragraphSelect) {
      paragraphSelect.value = "";
    }
    show(words);
  }

  function onKeyboardChoice() {
    // The keyboard path takes over: forget the mouse selection.
    startInput.value = "";
    endInput.value = "";
    var option = paragraphSelect.options[paragraphSelect.selectedIndex];
    show(paragraphSelect.value ? option.textContent : emptyMessage);
  }

  document.addEventListener("selectionchange", onSelectionChange);
  if (paragraphSelect) {
    paragraphSelect.addEventListener("change", onKeyboardChoice);
  }
  form.addEventListener("submit", function (event) {
    if (!startInput.value && !(paragraphSelect && paragraphSelect.value)) {
      event.preventDefault();
      show("Select a passage in the text first, or choose a paragraph.");
      preview.focus();
    }
  });
})();
