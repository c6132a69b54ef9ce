// One quiz question's options as a real radio group (utils/course/quiz.py, QuizRadios).
// A <fieldset> whose <legend> names the group, and native radio inputs that share one `name`: the
// browser then gives the whole group one Tab stop (the chosen option, or the first when none is chosen)
// and moves the choice with the arrow keys. The kernel side is ipywidgets' RadioButtons: the view only
// reads the option labels and sets `index`.
let counter = 0;

function render({ model, el }) {
  const name = `twitch-quiz-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const fieldset = document.createElement("fieldset");
  fieldset.className = "twitch-quiz-radios";
  const legend = document.createElement("legend");
  fieldset.append(legend);
  el.append(fieldset);
  // arrow keys belong to the radio group, not to JupyterLab's notebook shortcuts
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const OWN_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", " "]);
  fieldset.addEventListener("keydown", (e) => { if (OWN_KEYS.has(e.key)) e.stopPropagation(); });
  let inputs = [];

  function build() {
    for (const old of fieldset.querySelectorAll(".twitch-quiz-option")) old.remove();
    legend.textContent = model.get("description") || "your answer";
    const tip = model.get("tooltip");
    if (tip) fieldset.title = tip;
    inputs = (model.get("_options_labels") || []).map((text, i) => {
      const label = document.createElement("label");
      label.className = "twitch-quiz-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = String(i);
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("index", i);
          model.save_changes();
        }
      });
      const span = document.createElement("span");
      span.textContent = text;
      label.append(input, span);
      fieldset.append(label);
      return input;
    });
    show();
  }

  function show() {
    const index = model.get("index");
    inputs.forEach((input, i) => {
      input.checked = index === i;
      input.disabled = !!model.get("disabled");
    });
  }

  build();
  model.on("change:_options_labels", build);
  model.on("change:description", build);
  model.on("change:index", show);
  model.on("change:disabled", show);
  return () => {
    model.off("change:_options_labels", build);
    model.off("change:description", build);
    model.off("change:index", show);
    model.off("change:disabled", show);
  };
}

export default { render };
