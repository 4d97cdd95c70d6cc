// Small enhancements of every public page; each part works without it.
(() => {
    const phone = window.matchMedia("(max-width: 600px)");
    const oneColumn = window.matchMedia("(max-width: 860px)");

    // The header's menu folds behind a button on phones (the button is only
    // shown once this runs, so without JavaScript the menu stays open).
    const header = document.querySelector(".site-header");
    const toggle = document.querySelector("[data-menu-toggle]");
    const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (header && toggle && menu) {
        header.classList.add("site-header--foldable");
        toggle.addEventListener("click", () => {
            const open = toggle.getAttribute("aria-expanded") !== "true";
            toggle.setAttribute("aria-expanded", String(open));
            menu.classList.toggle("site-menu--open", open);
        });
        document.addEventListener("keydown", (event) => {
            if (event.key === "Escape" && phone.matches && toggle.getAttribute("aria-expanded") === "true") {
                toggle.click();
                toggle.focus();
            }
        });
    }

    // Catalogue filters: folded where they would sit above the results, and
    // applied as soon as one changes. The search box still submits with
    // Enter; the button is hidden, not removed, so that keeps working.
    const panel = document.querySelector("[data-filters-panel]");
    if (panel && oneColumn.matches) {
        panel.open = false;
    }
    document.querySelectorAll("form[data-auto-submit]").forEach((form) => {
        form.addEventListener("change", (event) => {
            if (event.target.matches("select, input[type=checkbox], input[type=radio]")) {
                form.requestSubmit();
            }
        });
        form.querySelectorAll("[data-auto-submit-button]").forEach((button) => {
            button.classList.add("visually-hidden");
            button.tabIndex = -1;
        });
        form.querySelectorAll("[data-auto-submit-hint]").forEach((hint) => {
            hint.hidden = false;
        });
    });

    // Formatting buttons over a text box: they wrap the selection in the
    // tags the server keeps (enrolments/sanitize.py), so nobody has to know
    // HTML; typing tags by hand still works.
    const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    document.querySelectorAll("[data-format-toolbar]").forEach((toolbar) => {
        const box = document.getElementById(toolbar.dataset.formatToolbar);
        if (!box) {
            return;
        }
        toolbar.hidden = false;
        const replaceSelection = (before, middle, after) => {
            const start = box.selectionStart;
            const end = box.selectionEnd;
            box.setRangeText(before + middle + after, start, end, "end");
            if (start === end) {
                // Nothing was selected: put the cursor between the tags.
                const caret = start + before.length + middle.length;
                box.setSelectionRange(caret, caret);
            }
            box.dispatchEvent(new Event("input", { bubbles: true }));
            box.focus();
        };
        toolbar.addEventListener("click", (event) => {
            const button = event.target.closest("button");
            if (!button) {
                return;
            }
            const selected = box.value.slice(box.selectionStart, box.selectionEnd);
            if (button.dataset.wrap) {
                const tag = button.dataset.wrap;
                replaceSelection(`<${tag}>`, selected, `</${tag}>`);
            } else if (button.dataset.list) {
                const tag = button.dataset.list;
                const items = (selected || "").split(/\n+/).map((line) => `  <li>${line.trim()}</li>`);
                replaceSelection(`<${tag}>\n`, items.join("\n"), `\n</${tag}>`);
            } else if ("link" in button.dataset) {
                const address = window.prompt(button.dataset.prompt, "https://");
                if (address && /^(https?:|mailto:)/i.test(address.trim())) {
                    replaceSelection(`<a href="${escapeHtml(address.trim())}">`, selected || address.trim(), "</a>");
                }
            }
        });
    });
})();
