/*
 * Career Navigator chat widget. A college adds it with one tag:
 *
 *   <script src="https://navigator.example.org/static/widget.js"
 *           data-server="https://navigator.example.org:5005" defer></script>
 *
 * data-server          Rasa server URL (socket.io channel)            required
 * data-title           panel title            default "Career Navigator"
 * data-color           main colour (hex)      default "#12355b"
 * data-initial-message sent when a new learner opens the panel  default "/greet"
 * data-lang            "en" or "es" for the widget's own words   default "en"
 * data-socket-path     socket.io path         default "/socket.io/"
 *
 * Learner and bot text are inserted as text nodes, never as HTML. The conversation
 * (session id and what was shown) is kept in the browser's localStorage, so a reload
 * or another page of the site continues it. Messages typed while offline are queued
 * and sent once the connection is back.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__careerNavigatorWidget) { return; }
  window.__careerNavigatorWidget = true;

  var WORDS = {
    en: {
      open: "Chat with us", close: "Close chat", send: "Send", message: "Your message",
      placeholder: "Type your message", typing: "The navigator is typing…",
      offline: "You are offline. Your messages will be sent when the connection is back.",
      back: "Connected again.", human: "Talk to a person", restart: "Start over",
      log: "Conversation", you: "You", bot: "Navigator", queued: "(waiting to send)"
    },
    es: {
      open: "Chatea con nosotros", close: "Cerrar el chat", send: "Enviar",
      message: "Tu mensaje", placeholder: "Escribe tu mensaje",
      typing: "El navegador está escribiendo…",
      offline: "Estás sin conexión. Tus mensajes se enviarán cuando vuelva la conexión.",
      back: "Conectado otra vez.", human: "Hablar con una persona", restart: "Empezar de nuevo",
      log: "Conversación", you: "Tú", bot: "Navegador", queued: "(esperando para enviar)"
    }
  };

  var config = {
    server: (script.getAttribute("data-server") || "").replace(/\/$/, ""),
    title: script.getAttribute("data-title") || "Career Navigator",
    color: script.getAttribute("data-color") || "#12355b",
    initial: script.getAttribute("data-initial-message") || "/greet",
    lang: script.getAttribute("data-lang") === "es" ? "es" : "en",
    path: script.getAttribute("data-socket-path") || "/socket.io/"
  };
  var words = WORDS[config.lang];
  var base = script.src.replace(/[^/]*$/, "");
  var STORE = "career-navigator:" + config.server;
  var MAX_KEPT = 150;

  // ---------------------------------------------------------------- saved state
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.items)) { return saved; }
    } catch (e) { /* unreadable storage: start fresh */ }
    return { session: null, items: [], queue: [], open: false };
  }
  var state = load();
  function save() {
    state.items = state.items.slice(-MAX_KEPT);
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* full */ }
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Text with line breaks and http(s) links, built from text nodes only.
  function richText(container, text) {
    var lines = String(text).split("\n");
    lines.forEach(function (line, i) {
      var parts = line.split(/(https?:\/\/[^\s<>"]+)/g);
      parts.forEach(function (part) {
        if (/^https?:\/\/[^\s<>"]+$/.test(part)) {
          var link = el("a", { href: part, target: "_blank", rel: "noopener noreferrer" }, part);
          container.appendChild(link);
        } else if (part) {
          container.appendChild(document.createTextNode(part));
        }
      });
      if (i < lines.length - 1) { container.appendChild(el("br")); }
    });
  }

  // ---------------------------------------------------------------- the panel
  var style = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(style);

  var root = el("div", { "class": "cnw", lang: config.lang });
  root.style.setProperty("--cnw-color", config.color);
  var launcher = el("button", { type: "button", "class": "cnw-launcher",
    "aria-expanded": "false", "aria-controls": "cnw-panel" }, words.open);
  var panel = el("section", { id: "cnw-panel", "class": "cnw-panel", role: "dialog",
    "aria-labelledby": "cnw-title" });
  panel.hidden = true;
  var header = el("div", { "class": "cnw-header" });
  var title = el("h2", { id: "cnw-title" }, config.title);
  var restart = el("button", { type: "button", "class": "cnw-restart" }, words.restart);
  var closer = el("button", { type: "button", "class": "cnw-close",
    "aria-label": words.close }, "×");
  header.appendChild(title);
  header.appendChild(restart);
  header.appendChild(closer);
  var status = el("p", { "class": "cnw-status", role: "status", "aria-live": "polite" });
  var log = el("div", { "class": "cnw-log", role: "log", "aria-live": "polite",
    "aria-label": words.log, tabindex: "0" });
  var typing = el("p", { "class": "cnw-typing" }, words.typing);
  typing.hidden = true;
  var human = el("button", { type: "button", "class": "cnw-human" }, words.human);
  var form = el("form", { "class": "cnw-form" });
  var label = el("label", { "for": "cnw-input", "class": "cnw-visually-hidden" }, words.message);
  var input = el("input", { id: "cnw-input", name: "message", autocomplete: "off",
    maxlength: "2000", placeholder: words.placeholder });
  var sendButton = el("button", { type: "submit" }, words.send);
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);
  [header, status, log, typing, human, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(launcher);
  root.appendChild(panel);
  document.body.appendChild(root);

  // ---------------------------------------------------------------- rendering
  function renderItem(item, index) {
    if (item.kind === "buttons") {
      var group = el("div", { "class": "cnw-buttons", role: "group" });
      item.buttons.forEach(function (b) {
        var button = el("button", { type: "button" }, b.title);
        button.disabled = !!item.used;
        button.addEventListener("click", function () {
          item.used = true;
          group.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          save();
          say(b.payload, b.title);
        });
        group.appendChild(button);
      });
      log.appendChild(group);
      return;
    }
    var who = item.kind === "user" ? "user" : "bot";
    var bubble = el("div", { "class": "cnw-msg cnw-" + who + (item.person ? " cnw-person" : ""),
      "data-index": String(index) });
    if (!item.person) {
      bubble.appendChild(el("span", { "class": "cnw-visually-hidden" },
        (who === "user" ? words.you : words.bot) + ": "));
    }
    var lines = String(item.text).split("\n");
    var numbered = lines.filter(function (l) { return /^\d+\. /.test(l); });
    if (who === "bot" && !item.person && numbered.length >= 1) {
      // A list of programs or services: compact cards.
      var intro = lines.filter(function (l) { return !/^\d+\. /.test(l); }).join("\n");
      if (intro) { var p = el("p"); richText(p, intro); bubble.appendChild(p); }
      var list = el("ol", { "class": "cnw-cards" });
      numbered.forEach(function (line) {
        var card = el("li", { "class": "cnw-card" });
        richText(card, line.replace(/^\d+\. /, ""));
        list.appendChild(card);
      });
      bubble.appendChild(list);
    } else {
      var body = el("p");
      richText(body, item.text);
      bubble.appendChild(body);
    }
    if (item.queued) { bubble.appendChild(el("span", { "class": "cnw-queued" }, " " + words.queued)); }
    log.appendChild(bubble);
  }

  function renderAll() {
    while (log.firstChild) { log.removeChild(log.firstChild); }
    state.items.forEach(renderItem);
    log.scrollTop = log.scrollHeight;
  }

  function add(item) {
    state.items.push(item);
    save();
    renderItem(item, state.items.length - 1);
    log.scrollTop = log.scrollHeight;
  }

  // ---------------------------------------------------------------- connection
  var socket = null;
  var confirmed = false;
  var waiting = null;

  function setTyping(on) {
    typing.hidden = !on;
    if (waiting) { clearTimeout(waiting); waiting = null; }
    if (on) { waiting = setTimeout(function () { typing.hidden = true; }, 30000); }
  }

  function flush() {
    if (!socket || !socket.connected || !confirmed) { return; }
    var pending = state.queue.splice(0);
    pending.forEach(function (payload) {
      // The page's language goes with the opening message only: it says where the
      // conversation starts, and never undoes a language the learner chose.
      var data = { message: payload, session_id: state.session };
      if (payload === config.initial) {
        data.metadata = { language: config.lang };
        // An intent payload skips the language detector: it carries the language itself.
        if (/^\/\w+$/.test(payload)) {
          data.message = payload + JSON.stringify({ reply_language: config.lang });
        }
      }
      socket.emit("user_uttered", data);
    });
    var changed = false;
    state.items.forEach(function (item) { if (item.queued) { item.queued = false; changed = true; } });
    save();
    if (changed) { renderAll(); }
    if (pending.length) { setTyping(true); }
  }

  function say(payload, shown) {
    var online = socket && socket.connected && confirmed;
    add({ kind: "user", text: shown || payload, queued: !online });
    state.queue.push(payload);
    save();
    flush();
  }

  function onBot(data) {
    setTyping(false);
    // A navigator's message names its writer in its text ("Ana (navigator): ..."); it is
    // marked so it looks like a person's, and shown as text like every message.
    if (data.text) { add({ kind: "bot", text: data.text, person: !!data.navigator }); }
    var buttons = data.quick_replies || data.buttons;
    if (buttons && buttons.length) {
      add({ kind: "buttons", buttons: buttons.map(function (b) {
        return { title: String(b.title), payload: String(b.payload) };
      }) });
    }
    if (data.attachment && data.attachment.payload && data.attachment.payload.src) {
      add({ kind: "bot", text: String(data.attachment.payload.src) });
    }
  }

  function connect() {
    if (socket || typeof window.io !== "function") { return; }
    socket = window.io(config.server, { path: config.path, transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: state.session });
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
      var fresh = !state.session;
      state.session = id;
      confirmed = true;
      if (status.textContent === words.offline) { status.textContent = words.back; }
      save();
      if (fresh && state.items.length === 0 && config.initial) {
        state.queue.push(config.initial);
      }
      flush();
    });
    socket.on("bot_uttered", onBot);
    socket.on("disconnect", function () {
      confirmed = false;
      setTyping(false);
      status.textContent = words.offline;
    });
    socket.on("connect_error", function () { status.textContent = words.offline; });
  }

  function loadClient(then) {
    if (typeof window.io === "function") { then(); return; }
    var lib = el("script", { src: base + "vendor/socket.io.min.js" });
    lib.addEventListener("load", then);
    document.head.appendChild(lib);
  }

  // ---------------------------------------------------------------- open and close
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    renderAll();
    loadClient(connect);
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closer.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
  });
  human.addEventListener("click", function () { say("/human_handoff", words.human); });
  restart.addEventListener("click", function () {
    state.items = [];
    state.queue = [];
    save();
    renderAll();
    say("/restart", words.restart);
    state.queue.push(config.initial);
    flush();
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    say(text);
  });

  if (state.open) { open(); }
  root.setAttribute("data-ready", "true");
})();
