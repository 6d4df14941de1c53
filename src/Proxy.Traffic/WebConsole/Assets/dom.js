// Builds elements without innerHTML: route names, reasons and problem texts are shown as text, never as markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export const percent = (value) => `${Number(value).toLocaleString('en', { maximumFractionDigits: 2 })}%`;

export function time(value) {
  return value ? new Date(value).toLocaleTimeString('en-GB', { hour12: false }) : '';
}

export function weightsText(weights) {
  return Object.entries(weights ?? {}).map(([cluster, weight]) => `${cluster}=${weight}`).join(', ');
}

// Calls fn at most once per delay, the last call winning: many events in a burst make one reload.
export function debounce(fn, delay) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}
