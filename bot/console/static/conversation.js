// The referral page's live conversation: new messages appear without a reload (server-sent
// events from /feed). Every text goes in with textContent: learners' and navigators' words
// are shown as text, never as HTML.
(function () {
  "use strict";
  var list = document.getElementById("transcript");
  if (!list || !window.EventSource) { return; }
  var holdState = document.getElementById("hold-state");
  var crisisAlert = document.getElementById("crisis-alert");

  function who(turn) {
    if (turn.speaker === "learner") { return "Learner"; }
    if (turn.speaker === "navigator") { return turn.author + " (navigator)"; }
    return "Bot";
  }

  function add(turn) {
    var item = document.createElement("li");
    item.className = "turn-" + turn.speaker;
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = who(turn);
    var time = document.createElement("time");
    time.textContent = " " + turn.at + " ";
    var said = document.createElement("p");
    said.className = "said";
    said.textContent = turn.text;
    item.append(name, time, said);
    if (turn.crisis) {
      var mark = document.createElement("strong");
      mark.className = "crisis";
      mark.textContent = "crisis words";
      item.insertBefore(mark, said);
      crisisAlert.hidden = false;
    }
    list.appendChild(item);
  }

  var feed = new EventSource(list.getAttribute("data-feed"));
  feed.addEventListener("turn", function (event) { add(JSON.parse(event.data)); });
  feed.addEventListener("hold", function (event) {
    var state = JSON.parse(event.data);
    holdState.dataset.held = state.held ? "yes" : "no";
    holdState.textContent = state.held
      ? "Held by " + state.by + ": the bot stays quiet until you hand it back."
      : "The bot is answering this learner.";
  });
}());
