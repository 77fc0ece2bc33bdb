// The print view's button: the browser's own print dialog (the page is already print-laid-out).
document.getElementById("print-now")?.addEventListener("click", () => window.print());
