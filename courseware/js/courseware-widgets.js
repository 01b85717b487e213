/* Four Readings of 1917: draws the widgets saved in a page, with no kernel and no dependencies.
 *
 * The course's widgets (courseware/widgets.py) are a choice jslinked to a Stack of pre-rendered HTML
 * views, so the static page needs only the models they use: VBox, Stack, HTML, Dropdown,
 * ToggleButtons, SelectionSlider, their Layout and style models, and Link. This file draws exactly
 * those from the page's saved widget state, in the markup and class names of ipywidgets 8, instead
 * of the 1.9 MB general widget manager. A model it does not know is drawn as a note saying to open
 * the notebook in Jupyter, never as a blank. In Jupyter itself the live widget manager is used.
 */
(function () {
  "use strict";

  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var REF = "IPY_MODEL_";
  var nextId = 0;

  /* A model: its saved state, and the functions to call when a key changes. */
  function Model(id, record) {
    this.id = id;
    this.name = record.model_name;
    this.state = record.state || {};
    this.listeners = [];
  }
  Model.prototype.get = function (key) { return this.state[key]; };
  Model.prototype.set = function (key, value) {
    if (this.state[key] === value) { return; }
    this.state[key] = value;
    this.listeners.forEach(function (f) { f(key, value); });
  };
  Model.prototype.on = function (f) { this.listeners.push(f); };

  function readModels() {
    var models = {};
    document.querySelectorAll(STATE).forEach(function (tag) {
      var saved;
      try { saved = JSON.parse(tag.textContent); } catch (e) { return; }
      Object.keys(saved.state || {}).forEach(function (id) {
        models[id] = new Model(id, saved.state[id]);
      });
    });
    return models;
  }

  function ref(models, value) {
    return typeof value === "string" && value.indexOf(REF) === 0 ? models[value.slice(REF.length)] : undefined;
  }

  /* jslink: both ends follow each other, as ipywidgets' LinkModel does in the browser. */
  function link(models, model) {
    var source = model.get("source") || [], target = model.get("target") || [];
    var a = ref(models, source[0]), b = ref(models, target[0]);
    if (!a || !b) { return; }
    b.set(target[1], a.get(source[1]));
    a.on(function (key, value) { if (key === source[1]) { b.set(target[1], value); } });
    b.on(function (key, value) { if (key === target[1]) { a.set(source[1], value); } });
  }

  function cssName(key) { return key.replace(/_/g, "-"); }

  /* The Layout model's set properties as inline style, and the model's own classes. */
  function decorate(el, models, model, classes) {
    el.className = ["jupyter-widgets"].concat(classes, model.get("_dom_classes") || []).join(" ");
    var layout = ref(models, model.get("layout"));
    if (!layout) { return el; }
    Object.keys(layout.state).forEach(function (key) {
      var value = layout.state[key];
      if (key.charAt(0) !== "_" && value !== null && value !== undefined && value !== "") {
        el.style.setProperty(cssName(key), String(value));
      }
    });
    return el;
  }

  function labelFor(models, model, control) {
    var text = model.get("description") || "";
    var label = document.createElement("label");
    label.className = "widget-label";
    label.textContent = text;
    var style = ref(models, model.get("style"));
    var width = style && style.get("description_width");
    if (width) { label.style.width = width; }
    if (!text) { label.style.display = "none"; }
    if (control) {
      control.id = control.id || "cw-widget-" + nextId++;
      label.htmlFor = control.id;
    }
    return label;
  }

  function element(tag, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    return el;
  }

  var draw = {
    VBoxModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-container", "widget-box", "widget-vbox"]);
      (model.get("children") || []).forEach(function (child) { el.appendChild(view(models, child)); });
      return el;
    },

    /* Only the selected child is in the page, as in ipywidgets: the quiz's CSS relies on it. */
    StackModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-container", "widget-box"]);
      var drawn = {};
      function show() {
        var i = model.get("selected_index"), children = model.get("children") || [];
        el.replaceChildren();
        if (i === null || i === undefined || !children[i]) { return; }
        drawn[i] = drawn[i] || view(models, children[i]);
        el.appendChild(drawn[i]);
      }
      model.on(function (key) { if (key === "selected_index") { show(); } });
      show();
      return el;
    },

    HTMLModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-inline-hbox", "widget-html"]);
      var content = element("div", "widget-html-content");
      content.innerHTML = model.get("value") || "";
      el.append(labelFor(models, model), content);
      return el;
    },

    DropdownModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-inline-hbox", "widget-dropdown"]);
      var select = element("select");
      (model.get("_options_labels") || []).forEach(function (text) {
        var option = element("option");
        option.textContent = text;
        option.value = text;
        select.appendChild(option);
      });
      function show() { select.selectedIndex = model.get("index") === null ? -1 : model.get("index"); }
      select.disabled = !!model.get("disabled");
      select.addEventListener("change", function () { model.set("index", select.selectedIndex); });
      model.on(function (key) { if (key === "index") { show(); } });
      show();
      el.append(labelFor(models, model, select), select);
      return el;
    },

    /* A group of buttons named by its label; the chosen one is pressed (aria-pressed). */
    ToggleButtonsModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-inline-hbox", "widget-toggle-buttons"]);
      var label = labelFor(models, model);
      label.id = "cw-widget-" + nextId++;
      var group = element("div", "widget-toggle-button-group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-labelledby", label.id);
      var style = ref(models, model.get("style"));
      var tips = model.get("tooltips") || [];
      var buttons = (model.get("_options_labels") || []).map(function (text, i) {
        var b = element("button", "widget-toggle-button jupyter-button");
        b.type = "button";
        b.textContent = text;
        if (tips[i]) { b.title = tips[i]; }
        if (style && style.get("button_width")) { b.style.width = style.get("button_width"); }
        b.disabled = !!model.get("disabled");
        b.addEventListener("click", function () { model.set("index", i); });
        group.appendChild(b);
        return b;
      });
      function show() {
        buttons.forEach(function (b, i) {
          var on = model.get("index") === i;
          b.classList.toggle("mod-active", on);
          b.setAttribute("aria-pressed", on ? "true" : "false");
        });
      }
      model.on(function (key) { if (key === "index") { show(); } });
      show();
      el.append(label, group);
      return el;
    },

    /* A native range input: keyboard and screen readers get it for free; it announces the label. */
    SelectionSliderModel: function (models, model) {
      var el = decorate(element("div"), models, model, ["widget-inline-hbox", "widget-slider", "widget-hslider"]);
      var labels = model.get("_options_labels") || [];
      var input = element("input", "widget-slider-input");
      input.type = "range";
      input.min = "0";
      input.max = String(Math.max(labels.length - 1, 0));
      input.step = "1";
      input.disabled = !!model.get("disabled");
      var readout = element("output", "widget-readout");
      readout.htmlFor = input.id = "cw-widget-" + nextId++;
      function show() {
        var i = model.get("index") || 0;
        input.value = String(i);
        input.setAttribute("aria-valuetext", labels[i] || "");
        readout.textContent = model.get("readout") === false ? "" : labels[i] || "";
      }
      input.addEventListener("input", function () { model.set("index", Number(input.value)); });
      model.on(function (key) { if (key === "index") { show(); } });
      show();
      el.append(labelFor(models, model, input), input, readout);
      return el;
    }
  };

  function unknown(name) {
    var el = element("div", "jupyter-widgets widget-html cw-widget-unsupported");
    el.textContent = "This interactive part (" + name + ") works in Jupyter: open this chapter " +
      "as a notebook to use it.";
    return el;
  }

  function view(models, value) {
    var model = ref(models, value) || models[value];
    if (!model) { return unknown("a missing widget"); }
    var f = draw[model.name];
    return f ? f(models, model) : unknown(model.name);
  }

  function render() {
    var models = readModels();
    Object.keys(models).forEach(function (id) {
      if (models[id].name === "LinkModel") { link(models, models[id]); }
    });
    document.querySelectorAll(VIEW).forEach(function (tag) {
      var saved;
      try { saved = JSON.parse(tag.textContent); } catch (e) { return; }
      var area = element("div", "widget-subarea");
      area.appendChild(view(models, saved.model_id));
      tag.parentElement.insertBefore(area, tag);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
