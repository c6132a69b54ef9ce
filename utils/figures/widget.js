// PlotlyFigure's front end (utils/figures/widget.py). Every draw uses the model's FULL current state
// (Plotly.react), so a view that is created, re-attached or re-rendered can never stay blank or stale.
// plotly.js is NOT in this module: it is loaded once per page from the local Jupyter/Voila server
// (utils/figures/server.py), one <script> and one promise on `window` shared by every figure.

const PROMISE = "__twitchPlotlyPromise";

function baseUrl() {
  const cfg = document.getElementById("jupyter-config-data");  // JupyterLab and Voila pages
  if (cfg) {
    try { const c = JSON.parse(cfg.textContent); if (c.baseUrl) return c.baseUrl; } catch (e) { /* */ }
  }
  return "/";
}

function loadPlotly(path) {
  if (window.Plotly && window.Plotly.react) return Promise.resolve(window.Plotly);  // e.g. static pages
  if (!window[PROMISE]) {
    const url = new URL(path, new URL(baseUrl(), location.href)).href;
    window[PROMISE] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.dataset.twitchPlotly = "1";
      s.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error(`${url} defined no Plotly`)));
      s.onerror = () => {
        s.remove();
        window[PROMISE] = null;  // a later figure may try again
        reject(new Error(`plotly.js could not be loaded from ${url} (is the utils.figures server ` +
                         "extension enabled? run `make setup`)"));
      };
      document.head.appendChild(s);
    });
  }
  return window[PROMISE];
}

// Binary float32 buffers (DataView) -> Float32Array (zero copy when aligned); shape [n] or [rows, cols].
function f32(dv) {
  if (dv.byteOffset % 4 === 0) return new Float32Array(dv.buffer, dv.byteOffset, dv.byteLength / 4);
  return new Float32Array(dv.buffer.slice(dv.byteOffset, dv.byteOffset + dv.byteLength));
}
function shaped(a, shape) {
  if (!shape || shape.length < 2) return a;
  const rows = [];
  for (let r = 0; r < shape[0]; r++) rows.push(Array.from(a.subarray(r * shape[1], (r + 1) * shape[1])));
  return rows;
}
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] = o[k] && typeof o[k] === "object" ? o[k] : {});
  o[keys[keys.length - 1]] = value;
}

function traces(data) {
  const arrays = (data.arrays || []).map(f32);
  return (data.traces || []).map((t) => {
    const tr = JSON.parse(JSON.stringify(t.props));  // plotly writes into what it is given
    for (const [path, ref] of Object.entries(t.arrays || {})) setPath(tr, path, shaped(arrays[ref[0]], ref[1]));
    return tr;
  });
}

// Every font size in a layout or trace (font, tickfont, title.font, annotations[i].font ...) times `k`.
function scaleFonts(o, k, top) {
  if (Array.isArray(o)) { o.forEach((x) => scaleFonts(x, k, false)); return; }
  if (!o || typeof o !== "object") return;
  for (const [key, v] of Object.entries(o)) {
    if (/font$/.test(key) && v && typeof v === "object" && typeof v.size === "number") v.size *= k;
    else if (v && typeof v === "object") scaleFonts(v, k, false);
  }
  if (top) { o.font = o.font || {}; if (typeof o.font.size !== "number") o.font.size = 12 * k; }
}

function fontScale(model, el) {
  const own = model.get("font_scale");
  if (own > 0) return own;
  const css = parseFloat(getComputedStyle(el).getPropertyValue("--twitch-figure-font-scale"));
  return css > 0 ? css : 1;
}

function render({ model, el }) {
  el.classList.add("twitch-figure");
  const gd = document.createElement("div");
  gd.className = "twitch-figure-plot";
  const note = document.createElement("div");
  note.className = "twitch-figure-note";
  note.setAttribute("role", "status");
  note.hidden = true;
  el.append(gd, note);
  let Plotly = null, queued = false, gone = false, width = 0;

  const say = (text) => { note.textContent = text; note.hidden = !text; };
  let changedAt = 0;  // when the last change arrived from the kernel (performance.now())
  const draw = () => {
    queued = false;
    if (gone || !Plotly) return;
    const t0 = performance.now();
    const k = fontScale(model, el);
    const data = traces(model.get("_data") || {});
    const layout = JSON.parse(JSON.stringify(model.get("_layout") || {}));
    const template = model.get("_template");
    if (template && Object.keys(template).length) layout.template = JSON.parse(JSON.stringify(template));
    delete layout.width;  // the figure fills its output area
    layout.autosize = true;
    layout.datarevision = model.get("_revision");
    if (k !== 1) { scaleFonts(layout, k, true); data.forEach((t) => scaleFonts(t, k, false)); }
    const config = Object.assign({ displaylogo: false, responsive: false }, model.get("_config") || {});
    let drawn;
    try { drawn = Plotly.react(gd, data, layout, config); } catch (err) { drawn = Promise.reject(err); }
    drawn.then(() => {
      // Timings for the browser tests and `make bench`: message arrival and the time Plotly took.
      gd.dataset.twitchChangedAt = String(changedAt);
      gd.dataset.twitchDrawMs = (performance.now() - t0).toFixed(1);
      const rev = String(model.get("_revision"));
      // The first task after this frame's paint: when the student can see this revision.
      setTimeout(() => { if (gd.dataset.twitchRevision === rev) gd.dataset.twitchPaintedAt = String(performance.now()); }, 0);
      gd.dataset.twitchRevision = String(model.get("_revision"));
      el.dataset.twitchFigure = model.get("_figure_id");
      width = gd.clientWidth;
      if (!el.classList.contains("twitch-figure-orphan")) say("");  // a drawn figure needs no note
    }).catch((err) => say(`This figure could not be drawn: ${err.message}`));
  };
  // At most one draw per animation frame, always of the latest state: a message that arrives while a
  // draw is pending joins it, so a fast drag never builds a queue of stale frames. (The frame is
  // painted right after its requestAnimationFrame callbacks, so a single change is on screen no later
  // than when drawn at once.)
  const schedule = () => {
    if (!queued) { queued = true; changedAt = performance.now(); requestAnimationFrame(draw); }
  };

  // After a kernel restart ipywidgets' widget manager sets every model's comm_live to false, which
  // triggers "comm_live_update" (ipywidgets 8 sets comm_live = true only when a model is created, before
  // any view listens). anywidget's model proxy does not expose comm_live; when the callback's `this` is
  // the view (Backbone passes the listener's context) its model says it directly.
  const orphan = () => {
    el.classList.add("twitch-figure-orphan");
    say("This figure is disconnected from its kernel (the kernel was restarted or stopped), so it no " +
        "longer follows the controls. Run the cell again.");
  };
  model.on("comm_live_update", function () {
    const live = this && this.model && typeof this.model.comm_live === "boolean" ? this.model.comm_live : false;
    if (!live) orphan();
  });
  for (const name of ["_data", "_layout", "_template", "_config", "_revision", "font_scale"]) {
    model.on(`change:${name}`, schedule);
  }

  const ro = new ResizeObserver(() => {
    if (!Plotly || !gd._fullLayout || gd.clientWidth === width || !gd.clientWidth) return;
    width = gd.clientWidth;
    Plotly.Plots.resize(gd).catch(() => {});
  });
  ro.observe(el);

  loadPlotly(model.get("_plotly_path")).then((P) => { Plotly = P; draw(); })
    .catch((err) => say(`This figure cannot be drawn: ${err.message}`));
  return () => { gone = true; ro.disconnect(); if (Plotly) Plotly.purge(gd); };
}

export default { render };
