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
