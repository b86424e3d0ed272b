// Live workshop board: polls the board JSON every 5 s with If-None-Match and updates the
// tables in place (a 304 changes nothing). Without JavaScript the page has a Refresh link.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.fetch) { return; }
  var url = board.getAttribute("data-url");
  var messages = JSON.parse(board.getAttribute("data-messages") || "{}");
  var pillars = JSON.parse(board.getAttribute("data-pillars") || "{}");
  var state = document.getElementById("board-state");
  var etag = null;

  function format(text, values) {
    return text.replace(/\{(\w)\}/g, function (_m, key) { return values[key]; });
  }

  function cell(name, value) {
    return board.querySelector("[" + name + "=\"" + value + "\"]");
  }

  function number(value) {
    return value === null || value === undefined ? "–" : Number(value).toFixed(1);
  }

  function render(data) {
    // The charts come drawn by the server (escaped SVG from app/reporting/charts.py).
    Object.keys(data.charts || {}).forEach(function (name) {
      var figure = board.querySelector("[data-chart=\"" + name + "\"]");
      if (figure) { figure.innerHTML = data.charts[name]; }
    });
    var people = document.getElementById("people");
    if (people) {
      people.textContent = "";
      data.participants.forEach(function (person) {
        var row = document.createElement("tr");
        var head = document.createElement("th");
        head.scope = "row";
        head.textContent = person.name;
        row.appendChild(head);
        [person.country, person.agency, pillars[person.pillar] || person.pillar].forEach(function (value) {
          var td = document.createElement("td");
          td.textContent = value;
          row.appendChild(td);
        });
        people.appendChild(row);
      });
      document.getElementById("people-count").textContent = String(data.participants.length);
    }
    data.countries.forEach(function (country) {
      data.measures.forEach(function (measure) {
        var values = country.measures[measure];
        var progress = cell("data-progress", country.code + ":" + measure);
        if (progress) {
          progress.textContent = format(messages.progress, {a: values.answered, n: values.applicable});
        }
        var detail = cell("data-detail", country.code + ":" + measure);
        if (!detail) { return; }
        detail.textContent = "";
        if (!country.details) {
          detail.textContent = messages.not_shared;
          return;
        }
        var strong = document.createElement("strong");
        strong.textContent = number(values.score);
        detail.appendChild(strong);
        detail.appendChild(document.createTextNode(" · " + format(messages.gaps, {g: values.gaps, s: values.strengths})));
      });
    });
  }

  function poll() {
    var headers = {"Accept": "application/json"};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, {headers: headers, credentials: "same-origin"}).then(function (response) {
      if (response.status === 304) { return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      etag = response.headers.get("ETag");
      return response.json();
    }).then(function (data) {
      if (data) { render(data); }
      state.textContent = format(messages.updated, {t: new Date().toLocaleTimeString()});
    }).catch(function () {
      state.textContent = messages.offline;
    });
  }

  poll();
  window.setInterval(poll, 5000);
})();
