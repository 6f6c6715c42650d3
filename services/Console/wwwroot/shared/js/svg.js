// Hand-drawn SVG: a few primitives, drawn 1:1 with the container's width so text stays crisp.
const NS = "http://www.w3.org/2000/svg";

export function svgOf(width, height) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  return svg;
}

export function el(parent, tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  parent.appendChild(node);
  return node;
}

// Shortens a label with an ellipsis until it fits; the full text stays in a tooltip.
export function fit(textNode, maxWidth) {
  const full = textNode.textContent;
  if (textNode.getComputedTextLength() <= maxWidth) return;
  el(textNode, "title", {}, full);
  let text = full;
  while (text.length > 1 && textNode.getComputedTextLength() > maxWidth) {
    text = text.slice(0, -1);
    textNode.firstChild.textContent = `${text.trimEnd()}…`;
  }
}

// A bar that is never invisible when its value is not zero.
export const barWidth = (value, max, span) => (value <= 0 || max <= 0 ? 0 : Math.max(2, (value / max) * span));
