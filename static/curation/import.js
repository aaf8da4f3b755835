// "Add article": say at once when a chosen file or pasted text is over the limit, before
// anything is sent (the server says the same when it is sent anyway).
(function () {
  "use strict";
  function warn(input, message) {
    var box = document.querySelector('.size-warning[data-for="' + input.id + '"]');
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var file = document.querySelector("input[type=file][data-max-bytes]");
    var text = document.querySelector("textarea[data-max-chars]");
    if (file) {
      file.addEventListener("change", function () {
        var max = Number(file.dataset.maxBytes);
        var chosen = file.files && file.files[0];
        warn(file, chosen && chosen.size > max
          ? chosen.name + " is " + (chosen.size / 1e6).toFixed(2) + " MB; a file can be at most " + (max / 1e6) + " MB."
          : "");
      });
    }
    if (text) {
      text.addEventListener("input", function () {
        var max = Number(text.dataset.maxChars);
        var length = Array.from(text.value).length;
        warn(text, length > max
          ? "The text has " + length.toLocaleString("en") + " characters; an article can hold at most " + max.toLocaleString("en") + "."
          : "");
      });
    }
  });
})();
