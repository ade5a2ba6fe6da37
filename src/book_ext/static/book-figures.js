/* Figures on a phone (book_ext.web_figures): under each figure, a visible link that opens the
   image at full size, named by the figure's number. The image is a link to the same file; this
   says so in words. On a narrow screen the figure keeps a readable size and scrolls sideways
   (book.css). */
(() => {
  "use strict";
  const run = () => {
    document.querySelectorAll("figure > a.image-reference").forEach((image) => {
      const figure = image.closest("figure");
      const number = figure.querySelector(".caption-number");
      const link = document.createElement("a");
      link.href = image.getAttribute("href");
      link.className = "figure-full-size";
      link.textContent = "Open " + (number ? number.textContent.trim() : "the figure") + " at full size";
      const line = document.createElement("p");
      line.className = "figure-open";
      line.appendChild(link);
      image.insertAdjacentElement("afterend", line);
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
