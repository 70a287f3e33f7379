// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});
// The account menu closes with Escape or a click elsewhere, as menus do.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.account-menu[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.querySelector("details.account-menu[open]");
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
