/* The countdown of a timed quiz attempt (templates/enrolments/quizzes/attempt.html).
   Display only: the server decides whether a submission is in time. The page
   says how many seconds were left when it was rendered; counting down from
   that with the page's own clock (performance.now) keeps a wrong clock on the
   trainee's computer from showing a wrong time. A screen reader hears the
   time left at 5 minutes, 1 minute and the end, not every second.
   Without JavaScript the page still shows the deadline as a time of day.
   The texts come translated from the template's data-text-* attributes. */
(function () {
    "use strict";

    var ANNOUNCE_AT = [300, 60];
    var root = document.querySelector("[data-quiz-timer]");
    if (!root || !window.performance) {
        return;
    }
    var remaining = parseInt(root.getAttribute("data-remaining-seconds"), 10);
    var display = root.querySelector("[data-quiz-timer-display]");
    var announcer = document.querySelector("[data-quiz-timer-announce]");
    if (isNaN(remaining) || !display) {
        return;
    }
    var texts = {
        left: root.getAttribute("data-text-left") || "{time}",
        up: root.getAttribute("data-text-up") || "",
        upAnnounce: root.getAttribute("data-text-up-announce") || ""
    };
    var endsAt = performance.now() + remaining * 1000;
    var announced = {};
    var interval = null;

    function pad(number) {
        return number < 10 ? "0" + number : String(number);
    }

    function format(seconds) {
        var hours = Math.floor(seconds / 3600);
        var minutes = Math.floor((seconds % 3600) / 60);
        var rest = seconds % 60;
        return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(rest);
    }

    function announce(text) {
        if (announcer) {
            announcer.textContent = text;
        }
    }

    function tick() {
        var left = Math.max(0, Math.ceil((endsAt - performance.now()) / 1000));
        if (left === 0) {
            display.textContent = texts.up;
            announce(texts.upAnnounce);
            window.clearInterval(interval);
            return;
        }
        display.textContent = texts.left.replace("{time}", format(left));
        ANNOUNCE_AT.forEach(function (mark) {
            if (left <= mark && !announced[mark] && remaining > mark) {
                announced[mark] = true;
                announce(root.getAttribute("data-text-announce-" + mark) || "");
            }
        });
    }

    tick();
    interval = window.setInterval(tick, 1000);
})();
