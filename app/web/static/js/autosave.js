// Autosave for the answering page. The page works without this file (a normal form);
// with it, each change is sent as it happens, queued in localStorage while offline
// and resent, and a save refused with 409 shows both values so the user can choose.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch || !window.JSON) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var apiTemplate = form.getAttribute("data-api");
  var progressUrl = form.getAttribute("data-progress");
  var queueKey = "ctsat-queue-" + form.getAttribute("data-assessment");
  var summary = document.getElementById("save-summary");
  var timers = {};
  var sending = {};
  var progressTimer = null;

  function text(key) {
    var messages = JSON.parse(form.getAttribute("data-messages") || "{}");
    return messages[key] || key;
  }

  function fieldset(itemId) { return document.getElementById("item-" + itemId); }
  function input(itemId, name) { return form.elements[itemId + "-" + name]; }

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueKey) || "{}"); } catch (e) { return {}; }
  }
  function writeQueue(queue) {
    try { window.localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* storage full or off */ }
    var waiting = Object.keys(queue).length;
    if (summary) { summary.textContent = waiting ? text("waiting").replace("{n}", waiting) : ""; }
  }

  function choiceOf(itemId) {
    var checked = form.querySelector('input[name="' + itemId + '-answer"]:checked');
    return checked ? checked.value : "";
  }

  function payload(itemId) {
    var value = input(itemId, "value");
    return {
      answer: choiceOf(itemId),
      value: value ? value.value : null,
      reason: input(itemId, "reason").value,
      comment: input(itemId, "comment").value,
      evidence: input(itemId, "evidence").value,
      version: parseInt(input(itemId, "version").value, 10) || 0
    };
  }

  function setState(itemId, state, message) {
    var box = fieldset(itemId);
    if (!box) { return; }
    box.setAttribute("data-state", state);
    box.querySelector(".save-state").textContent = message;
  }

  function timeNow() {
    return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function toggleReason(itemId) {
    var box = fieldset(itemId);
    var reason = box && box.querySelector("[data-reason-for]");
    if (reason) { reason.hidden = choiceOf(itemId) !== "not_applicable"; }
  }

  function updateFollowUps() {
    var dependants = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < dependants.length; i++) {
      var box = dependants[i];
      var parentId = box.getAttribute("data-show-if");
      var parentBox = fieldset(parentId);
      if (!parentBox) { continue; }
      var chosen = parseInt(choiceOf(parentId), 10);
      box.hidden = parentBox.hidden || isNaN(chosen) || chosen < parseInt(box.getAttribute("data-at-least"), 10);
    }
  }

  function schedule(itemId, delay) {
    window.clearTimeout(timers[itemId]);
    timers[itemId] = window.setTimeout(function () { queueAndSend(itemId); }, delay);
  }

  function queueAndSend(itemId) {
    var data = payload(itemId);
    if (data.answer === "not_applicable" && !data.reason.trim()) {
      setState(itemId, "waiting", text("reason"));
      return;
    }
    var queue = readQueue();
    queue[itemId] = data;
    writeQueue(queue);
    send(itemId);
  }

  function send(itemId) {
    if (sending[itemId]) { return; }
    var queue = readQueue();
    var data = queue[itemId];
    if (!data) { return; }
    if (!navigator.onLine) { setState(itemId, "offline", text("offline")); return; }
    sending[itemId] = true;
    setState(itemId, "saving", text("saving"));
    fetch(apiTemplate.replace("ITEM", encodeURIComponent(itemId)), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; },
        function () { return { status: response.status, body: {} }; });
    }).then(function (result) {
      sending[itemId] = false;
      handle(itemId, data, result.status, result.body);
    }).catch(function () {
      sending[itemId] = false;
      setState(itemId, "offline", text("offline"));
    });
  }

  function handle(itemId, data, status, body) {
    if (status === 200) {
      input(itemId, "version").value = body.version;
      input(itemId, "original").value = body.fingerprint;
      var queue = readQueue();
      var queued = queue[itemId];
      if (queued && JSON.stringify(queued) === JSON.stringify(data)) {
        delete queue[itemId];
      } else if (queued) {
        queued.version = body.version;  // changed again while this save was on its way: send that too
      }
      writeQueue(queue);
      setState(itemId, "saved", text("saved").replace("{t}", timeNow()));
      if (queue[itemId]) { send(itemId); }
      refreshProgress();
    } else if (status === 409 && body.current) {
      showConflict(itemId, body.current);
    } else if (status === 409 || status === 400 || status === 403 || status === 404) {
      var queue2 = readQueue(); delete queue2[itemId]; writeQueue(queue2);
      setState(itemId, "error", body.error || text("error"));
    } else {
      setState(itemId, "offline", text("retry"));
    }
  }

  function label(answer) {
    if (answer.answer === "dont_know") { return text("dont_know"); }
    if (answer.answer === "not_applicable") { return text("not_applicable") + " (" + answer.reason + ")"; }
    if (answer.answer === "") { return answer.value || text("none"); }
    return answer.answer;
  }

  function showConflict(itemId, current) {
    var box = fieldset(itemId);
    var old = box.querySelector(".conflict");
    if (old) { old.parentNode.removeChild(old); }
    setState(itemId, "conflict", text("conflict"));
    var panel = document.createElement("div");
    panel.className = "conflict";
    panel.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = text("theirs").replace("{who}", current.updated_by || "?").replace("{v}", label(current)) +
      (current.comment ? " — “" + current.comment + "”" : "") + " " + text("yours").replace("{v}", label(payload(itemId)));
    panel.appendChild(p);
    var keep = button(text("keep"), function () {
      input(itemId, "version").value = current.version;
      panel.parentNode.removeChild(panel);
      queueAndSend(itemId);
    });
    var take = button(text("take"), function () {
      applyAnswer(itemId, current);
      var queue = readQueue(); delete queue[itemId]; writeQueue(queue);
      panel.parentNode.removeChild(panel);
      setState(itemId, "saved", text("taken"));
      updateFollowUps();
    });
    panel.appendChild(keep);
    panel.appendChild(take);
    box.insertBefore(panel, box.querySelector(".item__footer"));
    keep.focus();
  }

  function button(caption, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = caption;
    b.addEventListener("click", onClick);
    return b;
  }

  function applyAnswer(itemId, answer) {
    var radios = form.querySelectorAll('input[name="' + itemId + '-answer"]');
    for (var i = 0; i < radios.length; i++) { radios[i].checked = radios[i].value === answer.answer; }
    var value = input(itemId, "value");
    if (value) { value.value = answer.value || ""; }
    input(itemId, "reason").value = answer.reason || "";
    input(itemId, "comment").value = answer.comment || "";
    input(itemId, "evidence").value = answer.evidence || "";
    input(itemId, "version").value = answer.version;
    input(itemId, "original").value = answer.fingerprint;
    toggleReason(itemId);
  }

  function refreshProgress() {
    window.clearTimeout(progressTimer);
    progressTimer = window.setTimeout(function () {
      fetch(progressUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          var line = document.getElementById("measure-progress");
          if (!data || !line) { return; }
          var m = data.measures[line.getAttribute("data-measure")];
          if (m) { line.textContent = text("progress").replace("{a}", m.answered).replace("{n}", m.applicable); }
        }).catch(function () { /* progress is a nicety */ });
    }, 600);
  }

  function itemOf(target) {
    var box = target.closest ? target.closest("[data-item]") : null;
    return box ? box.getAttribute("data-item") : null;
  }

  form.addEventListener("change", function (event) {
    var itemId = itemOf(event.target);
    if (!itemId || event.target.type === "hidden") { return; }
    toggleReason(itemId);
    updateFollowUps();
    schedule(itemId, event.target.type === "radio" ? 0 : 300);
  });
  form.addEventListener("input", function (event) {
    var itemId = itemOf(event.target);
    if (itemId && event.target.tagName === "TEXTAREA") { schedule(itemId, 1500); }
  });
  window.addEventListener("online", function () {
    var queue = readQueue();
    Object.keys(queue).forEach(send);
  });
  window.setInterval(function () {
    var queue = readQueue();
    Object.keys(queue).forEach(function (itemId) { if (!sending[itemId] && navigator.onLine) { send(itemId); } });
  }, 5000);

  // Restore what was queued on this page but never reached the server (closed tab, lost connection).
  var pending = readQueue();
  Object.keys(pending).forEach(function (itemId) {
    if (fieldset(itemId)) {
      applyAnswer(itemId, { answer: pending[itemId].answer, value: pending[itemId].value, reason: pending[itemId].reason,
        comment: pending[itemId].comment, evidence: pending[itemId].evidence, version: pending[itemId].version,
        fingerprint: input(itemId, "original").value });
      setState(itemId, "offline", text("retry"));
      send(itemId);
    }
  });
  writeQueue(pending);
  var boxes = form.querySelectorAll("[data-item]");
  for (var i = 0; i < boxes.length; i++) { toggleReason(boxes[i].getAttribute("data-item")); }
  updateFollowUps();
})();
