// How numbers read on the page: money exact to the fen, hours and energy rounded for the eye.
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const symbols = { CNY: "¥", USD: "$", EUR: "€" };

export function money(fen, currency = "CNY") {
  const sign = fen < 0 ? "−" : "";
  const abs = Math.abs(fen);
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}${symbols[currency] ?? currency + " "}${whole.format(Math.floor(abs / 100))}.${cents}`;
}

export function moneyWhole(fen, currency = "CNY") {
  return `${symbols[currency] ?? currency + " "}${whole.format(Math.round(fen / 100))}`;
}

export const hours = (h) => (h >= 100 ? whole.format(h) : one.format(h));

export const energy = (kwh) => (kwh >= 1000 ? `${one.format(kwh / 1000)} MWh` : `${one.format(kwh)} kWh`);

export const count = (n) => whole.format(n);

export const share = (part, total) => (total > 0 ? `${one.format((100 * part) / total)}%` : "–");

export const clock = (ms) => new Date(ms).toLocaleTimeString("en-GB", { hour12: false });

export const stamp = (ms) => new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC";
