import { hours, share } from "/shared/js/format.js";

// East Data, West Compute in one bar: how much of the work the western hubs' green power served.
export function drawEastWest(container, hubs, tally) {
  const sideOf = new Map(hubs.map((h) => [h.id, h.side]));
  let east = 0;
  let west = 0;
  for (const [id, s] of tally.hubs) {
    if (sideOf.get(id) === "east") east += s.hours;
    else if (sideOf.get(id) === "west") west += s.hours;
  }
  const split = document.createElement("div");
  split.className = "split";
  for (const [side, value, title] of [["east", east, "East"], ["west", west, "West"]]) {
    if (value <= 0) continue;
    const part = document.createElement("div");
    part.className = side;
    part.style.flexGrow = String(value);
    part.textContent = `${title} ${share(value, east + west)} · ${hours(value)} acc-h`;
    split.appendChild(part);
  }
  container.replaceChildren(split);
  return east + west > 0 ? west / (east + west) : null;
}
