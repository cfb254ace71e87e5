// Offline reading: registers the service worker (/sw.js), and makes sure a form sent while
// offline says so instead of failing silently. Without JavaScript, forms work as usual and the
// browser shows its own offline error.
(function () {
  "use strict";
  var script = document.currentScript;
  var message = script.getAttribute("data-offline-message");
  var lastForm = null;

  function sayNotSent(form) {
    var old = form.querySelector(".offline-alert");
    if (old) old.remove();
    var alert = document.createElement("p");
    alert.className = "offline-alert";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    var button = form.querySelector("[type=submit]");
    if (button && button.parentNode) {
      button.parentNode.insertBefore(alert, button.nextSibling);
    } else {
      form.appendChild(alert);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    lastForm = form;
    if (navigator.onLine === false) {
      // Not sent: the page and what the learner typed or ticked stay as they are.
      event.preventDefault();
      sayNotSent(form);
    }
  });

  if (!("serviceWorker" in navigator)) return;

  // The worker tells us when a form could not reach the server although the browser thought
  // it was online; it keeps this page in place instead of showing an error.
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "not-sent" && lastForm) sayNotSent(lastForm);
  });

  navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/" })
    .catch(function () {});

  // On the offline page: list the lessons kept on this device.
  var list = document.getElementById("offline-saved-pages");
  if (!list || !window.caches) return;
  caches.open("ea-pages").then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.reverse().map(function (request) {
        return cache.match(request).then(function (response) {
          return response.text();
        }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var heading = doc.querySelector("h1");
          return { url: request.url, title: heading ? heading.textContent.trim() : request.url };
        });
      }));
    });
  }).then(function (pages) {
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (pages.length) list.closest("section").hidden = false;
  }).catch(function () {});
})();
