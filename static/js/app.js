// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});
// The account menu and the phone's "Menu" close with Escape or a click elsewhere, as menus do.
// The phone menu's links are its next sibling (the list), so a click there is not "elsewhere".
const MENUS = "details.account-menu[open], details.nav-menu[open]";
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll(MENUS)) {
    const list = menu.classList.contains("nav-menu") ? menu.nextElementSibling : null;
    if (!menu.contains(event.target) && !(list && list.contains(event.target))) menu.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll(MENUS)) {
    menu.open = false;
    if (menu.contains(document.activeElement) || menu.nextElementSibling?.contains(document.activeElement)) {
      menu.querySelector("summary").focus();
    }
  }
});
// A long list of chips (the call form's countries) gets a box that narrows it as one types;
// accents are optional ("viet" finds "Việt Nam").
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
document.querySelectorAll("fieldset[data-chip-filter]").forEach((fieldset, n) => {
  const box = fieldset.querySelector(".chip-options");
  if (!box) return;
  const label = document.createElement("label");
  label.htmlFor = `chip-filter-${n}`;
  label.textContent = fieldset.dataset.chipFilter;
  const input = document.createElement("input");
  input.type = "search";
  input.id = label.htmlFor;
  input.className = "chip-filter";
  input.addEventListener("input", () => {
    const wanted = fold(input.value.trim());
    for (const chip of box.querySelectorAll(".chip-option")) {
      chip.hidden = wanted !== "" && !fold(chip.textContent).includes(wanted);
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // narrowing, not submitting the form
  });
  box.before(label, input);
});
