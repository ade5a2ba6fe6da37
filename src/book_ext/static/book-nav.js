/* The book's fix for the sidebar buttons of pydata-sphinx-theme 0.17 with sphinx-book-theme 1.3
   (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 988): each page has two buttons of class
   .primary-toggle (and two of .secondary-toggle), and both themes bind their handlers to the first
   one only, which is hidden; the visible one did nothing. A click on any other such button is passed
   to the first, so the menu and "Contents" open on a phone and the sidebar folds on a desktop.
   tests/test_theme_fixes.py fails once the theme binds every button, so that this file can go. */
(() => {
  "use strict";
  const forward = (selector) => {
    const buttons = Array.from(document.querySelectorAll(selector));
    buttons.slice(1).forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        buttons[0].click();
      });
    });
  };
  const run = () => {
    forward(".primary-toggle");
    forward(".secondary-toggle");
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
