// A certificate batch's progress page (templates/certificates/admin/batch.html):
// polls the batch's progress.json every 2 s until the batch is finished and
// updates the counts, the progress bar and the failed certificates in place,
// without reloading. Failure rows are cloned from a <template> (which carries
// the CSRF token of the Retry form) and filled with textContent, never HTML.
// Its words come translated from the page's data-text-* attributes.
(() => {
    "use strict";

    const INTERVAL_MS = 2000;

    function watch(root) {
        const url = root.dataset.progressUrl;
        const bar = root.querySelector("[data-progress-bar]");
        const state = root.querySelector("[data-batch-state]");
        const failuresBox = root.querySelector("[data-failures]");
        const failureRows = root.querySelector("[data-failure-rows]");
        const rowTemplate = root.querySelector("[data-failure-template]");
        const texts = root.dataset;

        function failureRow(failure) {
            const row = rowTemplate.content.querySelector("tr").cloneNode(true);
            row.querySelectorAll("[data-field]").forEach((cell) => {
                cell.textContent = failure[cell.dataset.field] ?? "";
            });
            const form = row.querySelector("[data-retry-form]");
            if (form && failure.retry_url) {
                form.action = failure.retry_url;
            } else if (form) {
                form.remove();
            }
            return row;
        }

        function render(progress) {
            root.querySelectorAll("[data-count]").forEach((element) => {
                element.textContent = String(progress[element.dataset.count]);
            });
            const processed = progress.done + progress.failed;
            bar.max = Math.max(progress.total, 1);
            bar.value = processed;
            bar.textContent = texts.textProcessed
                .replace("{processed}", String(processed))
                .replace("{total}", String(progress.total));
            state.textContent = progress.finished
                ? texts.textFinished
                : texts.textGenerating;
            failureRows.replaceChildren(...progress.failures.map(failureRow));
            failuresBox.hidden = progress.failures.length === 0;
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
                state.textContent = texts.textUnavailable;
                return;
            }
            if (response.ok) {
                const progress = await response.json();
                render(progress);
                if (progress.finished) {
                    return;
                }
            }
            window.setTimeout(poll, INTERVAL_MS);
        }

        if (root.dataset.finished !== "true") {
            window.setTimeout(poll, INTERVAL_MS);
        }
    }

    document.querySelectorAll("[data-certificate-batch]").forEach(watch);
})();
