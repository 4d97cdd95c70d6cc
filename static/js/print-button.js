// Buttons marked data-print open the browser's print dialog (no inline script,
// so a Content-Security-Policy can forbid inline code).
document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
});
