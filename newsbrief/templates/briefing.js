// Citation popovers: hover and keyboard focus work through CSS alone; a click or tap
// pins one open (for touch screens), Escape or a click elsewhere closes it.
document.addEventListener("click", function (event) {
  var mark = event.target.closest ? event.target.closest(".cite .mark") : null;
  document.querySelectorAll(".cite.open").forEach(function (open) {
    if (!mark || open !== mark.parentNode) { open.classList.remove("open"); }
  });
  if (mark) {
    event.preventDefault();
    mark.parentNode.classList.toggle("open");
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    document.querySelectorAll(".cite.open").forEach(function (open) { open.classList.remove("open"); });
    // A focused mark keeps its popover open through :focus-within; let go of it too.
    var focused = document.activeElement;
    if (focused && focused.closest && focused.closest(".cite")) { focused.blur(); }
  }
});
