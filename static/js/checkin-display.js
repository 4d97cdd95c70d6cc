/* The check-in display (templates/enrolments/attendance/check_in_display.html),
   projected in the room. Polls the page's code.json every 5 seconds, and as soon
   as the code is due to change, and swaps in the new code, QR code, countdown
   and number checked in. The code sits in an aria-live region, so a screen
   reader announces each new one. Without JavaScript the page reloads itself.
   The message text comes translated from the template's data-text-* attribute. */
(function () {
    "use strict";

    var POLL_MS = 5000;
    var root = document.querySelector("[data-checkin-display]");
    if (!root || !window.fetch) {
        return;
    }
    var url = root.getAttribute("data-code-url");
    var stepSeconds = parseInt(root.getAttribute("data-step-seconds"), 10) || 45;
    var live = root.querySelector("[data-live]");
    var closed = root.querySelector("[data-closed]");
    var qr = root.querySelector("[data-qr]");
    var code = root.querySelector("[data-code]");
    var seconds = root.querySelector("[data-seconds]");
    var progress = root.querySelector("[data-progress]");
    var checkedIn = root.querySelector("[data-checked-in]");
    var status = root.querySelector("[data-status]");
    var secondsLeft = parseInt(seconds.textContent, 10);
    var pollTimer = null;
    var inFlight = false;

    function showCountdown() {
        if (isNaN(secondsLeft)) {
            return;
        }
        seconds.textContent = Math.max(secondsLeft, 0);
        progress.style.width = (100 * Math.max(secondsLeft, 0) / stepSeconds) + "%";
    }

    function apply(state) {
        checkedIn.textContent = state.checked_in;
        live.hidden = !state.window_open;
        closed.hidden = state.window_open;
        if (!state.window_open) {
            closed.textContent = state.message;
            secondsLeft = NaN;
            return;
        }
        // Touch the live region only when the code changes, so it is announced once.
        if (code.textContent !== state.code) {
            code.textContent = state.code;
            qr.innerHTML = state.svg;  // markup made by the server (segno), not user input
        }
        secondsLeft = state.seconds_left;
        showCountdown();
    }

    function poll() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        window.clearTimeout(pollTimer);
        fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (state) {
                apply(state);
                status.textContent = "";
                root.classList.remove("is-stale");
            })
            .catch(function () {
                status.textContent = root.getAttribute("data-text-connection-lost") || "";
                root.classList.add("is-stale");
            })
            .then(function () {
                inFlight = false;
                window.clearTimeout(pollTimer);
                pollTimer = window.setTimeout(poll, POLL_MS);
            });
    }

    window.setInterval(function () {
        if (isNaN(secondsLeft)) {
            return;
        }
        secondsLeft -= 1;
        showCountdown();
        if (secondsLeft === 0) {
            poll();
        }
    }, 1000);
    showCountdown();
    pollTimer = window.setTimeout(poll, POLL_MS);
})();
