// A lightbox for a project's images, progressive enhancement: without this file each image is a
// plain link to its full-size file. Keyboard: Escape closes, the arrows move, Tab stays inside,
// and focus returns to the image that opened it.
(() => {
  const gallery = document.querySelector("[data-lightbox-gallery]");
  if (!gallery) return;
  const links = [...gallery.querySelectorAll("a[data-lightbox]")];
  if (!links.length) return;
  const labels = gallery.dataset;

  const dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", labels.lightboxTitle);
  dialog.innerHTML = `
    <figure class="lightbox__figure">
      <img class="lightbox__image" alt="">
      <figcaption class="lightbox__caption"><span class="lightbox__count"></span> <span class="lightbox__text"></span></figcaption>
    </figure>
    <div class="lightbox__controls">
      <button type="button" class="button button--quiet lightbox__prev"></button>
      <button type="button" class="button button--quiet lightbox__next"></button>
      <button type="button" class="button lightbox__close"></button>
    </div>`;
  const image = dialog.querySelector(".lightbox__image");
  const count = dialog.querySelector(".lightbox__count");
  const text = dialog.querySelector(".lightbox__text");
  const prev = dialog.querySelector(".lightbox__prev");
  const next = dialog.querySelector(".lightbox__next");
  const close = dialog.querySelector(".lightbox__close");
  prev.textContent = labels.lightboxPrevious;
  next.textContent = labels.lightboxNext;
  close.textContent = labels.lightboxClose;
  document.body.append(dialog);

  let current = 0;
  let opener = null;
  const show = (index) => {
    current = (index + links.length) % links.length;
    const link = links[current];
    const thumb = link.querySelector("img");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    count.textContent = labels.lightboxCount
      .replace("{num}", String(current + 1))
      .replace("{total}", String(links.length));
    text.textContent = link.dataset.caption ? `· ${link.dataset.caption}` : "";
    prev.hidden = next.hidden = links.length < 2;
  };

  links.forEach((link, index) => {
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      opener = link;
      show(index);
      dialog.showModal();
      close.focus();
    });
  });
  prev.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  close.addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the figure and the buttons) closes, as lightboxes do.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") {
      event.preventDefault();
      show(current - 1);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      show(current + 1);
    } else if (event.key === "Tab") {
      // Focus stays among the lightbox's buttons.
      const buttons = [prev, next, close].filter((b) => !b.hidden);
      const at = buttons.indexOf(document.activeElement);
      event.preventDefault();
      const step = event.shiftKey ? -1 : 1;
      buttons[(at + step + buttons.length) % buttons.length].focus();
    }
  });
})();
