// A labelled range slider for the series' panels (utils/panels/controls.py).
// The kernel holds the value. The browser sends a value only when the student moves the slider
// (a native <input type=range>: arrows, Page Up/Down, Home/End, drag); a value set from the kernel is
// shown and never sent back, so a programmatic set cannot be overwritten by a stale echo.
let counter = 0;
const SEND_MS = 30;  // a drag sends at most ~33 values per second

function decimals(x) {
  const s = String(x);
  if (s.includes("e-")) return Number(s.split("e-")[1]);
  const i = s.indexOf(".");
  return i < 0 ? 0 : s.length - i - 1;
}

function snap(v, min, max, step) {
  if (!(step > 0)) return Math.min(max, Math.max(min, v));
  const n = Math.round((v - min) / step);
  const d = Math.max(decimals(step), decimals(min));
  const out = Number((min + n * step).toFixed(Math.min(d + 2, 15)));
  return Math.min(max, Math.max(min, out));
}

function format(v, fmt) {
  const m = /^\.(\d+)f$/.exec(fmt || "");
  if (m) return Number(v).toFixed(Number(m[1]));
  if (fmt === "d") return String(Math.round(v));
  return String(v);
}

function unitOf(description) {
  const m = /\(([^()]*)\)\s*$/.exec(description || "");
  return m ? m[1] : "";
}

function render({ model, el }) {
  const id = `twitch-slider-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  el.classList.add("twitch-slider");
  const label = document.createElement("label");
  label.className = "twitch-slider-label";
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.className = "twitch-slider-input";
  const out = document.createElement("output");
  out.className = "twitch-slider-value";
  out.htmlFor = id;
  out.setAttribute("aria-hidden", "true");
  el.append(label, input, out);
  // The slider's own keys stay with it: JupyterLab's notebook shortcuts must not take them (they
  // would move the cell selection instead of the slider). Tab and Escape still leave as usual.
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const OWN_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End"]);
  input.addEventListener("keydown", (e) => { if (OWN_KEYS.has(e.key)) e.stopPropagation(); });

  // A choice slider (labels set) moves over option indices and shows the option's label.
  const labels = () => model.get("labels") || [];
  const key = () => (labels().length ? "index" : "value");

  function show(v) {
    const names = labels();
    const text = names.length ? String(names[Math.round(v)] ?? "") : format(v, model.get("readout_format"));
    const unit = unitOf(model.get("description"));
    out.textContent = text;
    input.setAttribute("aria-valuetext", unit ? `${text} ${unit}` : text);
  }

  function sync() {
    el.dataset.twitchSlider = model.get("_slider_id");
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.disabled = model.get("disabled");
    input.value = model.get(key());
    show(model.get(key()));
  }

  function send() {
    const v = snap(Number(input.value), model.get("min"), model.get("max"), model.get("step"));
    show(v);
    if (v !== model.get(key())) {
      model.set(key(), v);
      model.save_changes();
    }
  }

  // While the handle is dragged, send at most one value per SEND_MS (the first at once, the latest at
  // the end of each interval): the kernel then never falls behind the hand (each update costs it up to
  // ~16 ms), and the figure follows at up to 1000 / SEND_MS redraws per second. Keys and the release
  // ("change") send at once.
  let last = -Infinity, timer = null;
  function throttled() {
    const wait = SEND_MS - (performance.now() - last);
    if (wait <= 0) { clearTimeout(timer); timer = null; last = performance.now(); send(); }
    else if (!timer) timer = setTimeout(() => { timer = null; last = performance.now(); send(); }, wait);
    show(Number(input.value));
  }
  input.addEventListener("input", () => { if (model.get("continuous_update")) throttled(); else show(Number(input.value)); });
  input.addEventListener("change", () => { clearTimeout(timer); timer = null; send(); });
  model.on("change", sync);
  // After a kernel restart ipywidgets marks every model disconnected (comm_live_update): say so in words.
  model.on("comm_live_update", function () {
    const live = this && this.model && typeof this.model.comm_live === "boolean" ? this.model.comm_live : false;
    if (live) return;
    input.disabled = true;
    el.classList.add("twitch-slider-orphan");
    out.textContent = "disconnected: run the cell again";
    out.removeAttribute("aria-hidden");
  });
  sync();
  return () => model.off("change", sync);
}

export default { render };
