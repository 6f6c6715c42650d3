// Any 401 means the signed-in token is gone or expired: back to the sign-in form.
export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (response.status === 401) {
    location.assign("/signin?problem=expired");
    throw new Error("signed out");
  }
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// Before reopening a stream: a 401 sends the operator to sign in; anything else (the console restarting,
// the network down) is worth another try.
export async function stillSignedIn() {
  try {
    const response = await fetch("/api/me", { headers: { Accept: "application/json" } });
    if (response.status !== 401) return true;
    location.assign("/signin?problem=expired");
    return false;
  } catch {
    return true;
  }
}

// A JSON post; the answer's body either way, so a 400 can name the field it found at fault.
export async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 401) {
    location.assign("/signin?problem=expired");
    throw new Error("signed out");
  }
  const text = await response.text();
  return { ok: response.ok, status: response.status, body: text ? JSON.parse(text) : null };
}
