// Minimal chat box for the demo page: talks to Rasa's REST channel.
// Learner and bot text are always inserted as text, never as HTML.
(function () {
  "use strict";

  function newSenderId() {
    var key = "navigator-sender";
    var id = window.sessionStorage.getItem(key);
    if (!id) {
      id = "web-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
      window.sessionStorage.setItem(key, id);
    }
    return id;
  }

  function init(chat) {
    var log = chat.querySelector(".chat-log");
    var form = chat.querySelector(".chat-form");
    var input = chat.querySelector("input");
    var status = chat.querySelector(".chat-status");
    var url = chat.getAttribute("data-rasa-url").replace(/\/$/, "") + "/webhooks/rest/webhook";
    var sender = newSenderId();

    function add(who, text) {
      var item = document.createElement("p");
      item.className = "msg msg-" + who;
      item.textContent = text;
      log.appendChild(item);
      log.scrollTop = log.scrollHeight;
      return item;
    }

    function addButtons(buttons) {
      var group = document.createElement("div");
      group.className = "buttons";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () {
          group.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          send(b.payload, b.title);
        });
        group.appendChild(button);
      });
      log.appendChild(group);
    }

    function send(message, shown) {
      add("user", shown || message);
      status.textContent = "The navigator is typing…";
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message })
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (replies) {
        status.textContent = "";
        replies.forEach(function (reply) {
          if (reply.text) { add("bot", reply.text); }
          if (reply.buttons && reply.buttons.length) { addButtons(reply.buttons); }
        });
      }).catch(function () {
        status.textContent = "Sorry, the navigator is not reachable right now. Please try again.";
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) { return; }
      input.value = "";
      send(text);
    });
  }

  document.querySelectorAll(".chat").forEach(init);
})();
