/* The menu button of narrow screens: opens and closes the main navigation. Without it (or without
   JavaScript) the navigation stays open, so nothing is ever out of reach. */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("mainnav");
  if (!button || !nav) { return; }
  document.documentElement.classList.add("has-menu");
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
