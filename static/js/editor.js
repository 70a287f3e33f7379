// The project editor, progressive enhancement only (the page works without it):
// previews of the images chosen before uploading them, and drag and drop to reorder the images
// (it posts the editor's one form to the same endpoint as the Move buttons, typed text included).
(() => {
  // Data URLs, not blob: ones, which the Content-Security-Policy's img-src does not allow.
  for (const input of document.querySelectorAll("input[type=file][data-previews]")) {
    const list = document.getElementById(input.dataset.previews);
    if (!list) continue;
    input.addEventListener("change", () => {
      list.replaceChildren();
      for (const file of input.files) {
        const item = document.createElement("li");
        if (file.type.startsWith("image/")) {
          const img = document.createElement("img");
          img.alt = "";
          const reader = new FileReader();
          reader.addEventListener("load", () => {
            img.src = reader.result;
          });
          reader.readAsDataURL(file);
          item.append(img);
        }
        const name = document.createElement("span");
        name.textContent = file.name;
        item.append(name);
        list.append(item);
      }
      list.hidden = input.files.length === 0;
    });
  }

  const list = document.querySelector("ol[data-reorder]");
  const form = document.getElementById("project-form");
  if (!list || !form || list.children.length < 2) return;
  const hint = document.querySelector("[data-reorder-hint]");
  if (hint) hint.hidden = false;
  const order = () => [...list.children].map((row) => row.dataset.imageId).join(",");
  const before = order();
  let dragged = null;

  for (const row of list.children) {
    const handle = row.querySelector("[data-drag-handle]");
    if (!handle) continue;
    handle.draggable = true;
    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("image-row--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.imageId);
      event.dataTransfer.setDragImage(row, 20, 20);
    });
    handle.addEventListener("dragend", () => {
      row.classList.remove("image-row--dragging");
      dragged = null;
    });
  }

  // The dragged row moves to where the pointer is: above or below the row under it.
  const place = (event) => {
    const target = event.target.closest("li[data-image-id]");
    if (!target || target === dragged) return;
    const box = target.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
  };

  list.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    place(event);
  });

  list.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    place(event);
    const now = order();
    if (now === before) return;
    const action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = `order:${now}`;
    form.append(action);
    form.setAttribute("action", list.dataset.reorderUrl); // form.action is the "action" buttons
    form.submit();
  });
})();
