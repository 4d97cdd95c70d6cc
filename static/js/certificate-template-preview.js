// A certificate template's Preview page
// (templates/certificates/admin/template_preview.html): while the worker
// checks the background or renders the samples, polls the preview's
// state.json every 2 s and, once it is rendered (or failed, or refused),
// shows the message, the sample in its frame and the link, without reloading.
// Text is set with textContent, never HTML.
(() => {
    "use strict";

    const INTERVAL_MS = 2000;

    function watch(root) {
        const url = root.dataset.stateUrl;
        const message = root.querySelector("[data-preview-message]");
        const frame = root.querySelector("[data-preview-frame]");
        const link = root.querySelector("[data-preview-link]");
        const retry = root.querySelector("[data-preview-retry]");

        function render(state) {
            message.textContent = state.message;
            message.dataset.state = state.state;
            retry.hidden = state.state !== "failed";
            if (state.pdf_url) {
                if (frame.getAttribute("src") !== state.pdf_url) {
                    frame.src = state.pdf_url;
                }
                link.href = state.pdf_url;
            }
            frame.hidden = !state.pdf_url;
            link.hidden = !state.pdf_url;
        }

        async function poll() {
            let response;
            try {
                response = await fetch(url, {
                    credentials: "same-origin",
                    cache: "no-store",
                    headers: {
                        Accept: "application/json",
                        // Wagtail answers 403 instead of a log-in redirect.
                        "X-Requested-With": "XMLHttpRequest",
                    },
                });
            } catch {
                window.setTimeout(poll, INTERVAL_MS); // offline for a moment
                return;
            }
            if (response.status >= 400 && response.status < 500) {
                message.textContent = root.dataset.textUnavailable;
                return;
            }
            if (response.ok) {
                const state = await response.json();
                render(state);
                if (!state.waiting) {
                    return;
                }
            }
            window.setTimeout(poll, INTERVAL_MS);
        }

        if (root.dataset.waiting === "true") {
            window.setTimeout(poll, INTERVAL_MS);
        }
    }

    document.querySelectorAll("[data-template-preview]").forEach(watch);
})();
