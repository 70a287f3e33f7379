// Progressive enhancement of a conversation: new messages appear while the page is open
// (polling only while the tab is visible) and the reply posts without reloading.
// Without this file the page works the same with reloads.
(() => {
  const thread = document.querySelector("[data-thread]");
  if (!thread || thread.hasAttribute("data-static")) return;
  const scroller = thread.closest(".thread__scroll");
  const form = document.querySelector("[data-reply]");
  const POLL_MS = 8000;
  let lastId = Number(thread.dataset.lastId || 0);
  let timer = null;
  let busy = false;

  const toBottom = () => { if (scroller) scroller.scrollTop = scroller.scrollHeight; };

  function append(html, id) {
    if (html) {
      const tpl = document.createElement("template");
      tpl.innerHTML = html;
      for (const item of tpl.content.querySelectorAll("li[data-id]")) {
        if (!document.getElementById(item.id)) {
          item.classList.add("msg--new");
          thread.append(item);
        }
      }
      toBottom();
    }
    if (id > lastId) lastId = id;
  }

  function setUnread(count) {
    const badge = document.querySelector("[data-unread-count]");
    if (badge && count === 0) {
      badge.nextElementSibling?.remove();
      badge.remove();
    } else if (badge) {
      badge.textContent = String(count);
    }
  }

  async function poll() {
    if (busy || document.visibilityState !== "visible") return;
    busy = true;
    try {
      const url = `${thread.dataset.pollUrl}?after=${lastId}`;
      const res = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (res.ok) {
        const data = await res.json();
        append(data.html, data.last_id);
        setUnread(data.unread);
      }
    } catch (_) {
      // Offline for a moment: the next poll tries again.
    } finally {
      busy = false;
    }
  }

  function start() { if (!timer) timer = setInterval(poll, POLL_MS); }
  function stop() { clearInterval(timer); timer = null; }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { poll(); start(); } else { stop(); }
  });
  if (document.visibilityState === "visible") start();

  if (!form) return;
  const textarea = form.querySelector("textarea");
  const errorBox = form.querySelector("[data-reply-error]");
  const button = form.querySelector("button[type=submit]");
  textarea?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    errorBox.hidden = true;
    try {
      const res = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await res.json().catch(() => null);
      if (res.ok && data) {
        append(data.html, data.last_id);
        textarea.value = "";
        form.querySelector("input[name=token]").value = data.token;
        textarea.focus();
      } else if (data && data.errors) {
        errorBox.textContent = Object.values(data.errors).flat().join(" ");
        errorBox.hidden = false;
      } else {
        form.submit(); // Let the server explain, with the text kept.
      }
    } catch (_) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
  toBottom();
})();
