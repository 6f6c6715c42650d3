// Explains why the last sign-in did not work, and carries the page asked for through the form.
const reasons = {
  empty: "Paste a token first.",
  invalid: "That token was not issued by this market (wrong key, issuer or audience), or it is not a token.",
  expired: "That token has expired. Ask for a new one.",
  role: "That token is neither an operator's nor a tenant's. The console is for operators and tenants.",
  "signed-out": "You are signed out.",
};

const query = new URLSearchParams(location.search);
document.getElementById("return").value = query.get("return") ?? "/"; // the server accepts only a local path

const problem = query.get("problem");
const box = document.getElementById("problem");
if (problem && reasons[problem]) {
  box.textContent = reasons[problem];
  box.hidden = false;
}
