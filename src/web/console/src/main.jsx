import "./console.css"; document.getElementById("app").textContent = "hi";
