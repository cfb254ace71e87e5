// Offline reading. Served from /sw.js, which puts CONFIG in front of this file.
// Pages: network first; lessons and course outlines that arrive are kept (the last
// CONFIG.pagesKept of them) and shown again when the network is gone; anything else
// gets the offline page. Nothing from accounts, quizzes, verification or the admin is kept.
"use strict";

var ASSETS = "ea-assets-" + CONFIG.version;
var PAGES = "ea-pages";
var MARK = '<meta name="offline-reading" content="keep">';

function languageOf(path) {
  var first = path.split("/")[1];
  return Object.prototype.hasOwnProperty.call(CONFIG.offlinePages, first) ? first : null;
}

function neverCached(path) {
  var language = languageOf(path);
  var bare = language ? path.slice(language.length + 1) : path;
  return CONFIG.neverCached.some(function (prefix) {
    return bare.indexOf(prefix) === 0 || path.indexOf(prefix) === 0;
  });
}

function offlinePageFor(path) {
  return CONFIG.offlinePages[languageOf(path) || "en"] || CONFIG.offlinePages.en;
}

// Offline pages for the languages of the open tabs, so a new learner has one straight away.
function offlinePagesForOpenTabs() {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (tabs) {
    var urls = tabs.map(function (tab) {
      return offlinePageFor(new URL(tab.url).pathname);
    });
    return urls.filter(function (url, index) {
      return urls.indexOf(url) === index;
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    offlinePagesForOpenTabs().then(function (pages) {
      return caches.open(ASSETS).then(function (cache) {
        return cache.addAll(CONFIG.assets.concat(pages));
      });
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("ea-assets-") === 0 && name !== ASSETS;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    }).then(keepOpenTabs)
  );
});

// The page that installed the worker arrived before it: keep it too, from the browser's own
// HTTP cache when it is there, so that the first lesson opened is readable offline as well.
function keepOpenTabs() {
  return self.clients.matchAll({ type: "window" }).then(function (tabs) {
    return Promise.all(tabs.map(function (tab) {
      var request = new Request(tab.url, { credentials: "same-origin", cache: "force-cache" });
      return fetch(request).then(function (response) {
        return keep(new Request(tab.url), response);
      }).catch(function () {});
    }));
  });
}

function keep(request, response) {
  var url = new URL(request.url);
  var type = response.headers.get("Content-Type") || "";
  if (response.status !== 200 || response.type !== "basic" || type.indexOf("text/html") !== 0) {
    return Promise.resolve();
  }
  if (neverCached(url.pathname)) return Promise.resolve();
  return response.text().then(function (html) {
    if (html.indexOf(MARK) === -1) return;
    var copy = new Response(html, { status: 200, headers: { "Content-Type": type } });
    return caches.open(PAGES).then(function (cache) {
      return cache.delete(url.href).then(function () {
        return cache.put(url.href, copy);
      }).then(function () {
        return trim(cache);
      });
    });
  });
}

// Oldest first: a page read again is deleted and put back at the end.
function trim(cache) {
  return cache.keys().then(function (keys) {
    var extra = keys.slice(0, Math.max(0, keys.length - CONFIG.pagesKept));
    return Promise.all(extra.map(function (key) {
      return cache.delete(key);
    }));
  });
}

function savedPage(request) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request.url).then(function (found) {
      return found || cache.match(request.url, { ignoreSearch: true });
    });
  });
}

function readPage(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(keep(request, response.clone()).catch(function () {}));
    var offline = offlinePageFor(new URL(request.url).pathname);
    // A page in a language whose offline page is not kept yet: fetch it while online.
    event.waitUntil(caches.open(ASSETS).then(function (cache) {
      return cache.match(offline).then(function (found) {
        return found || cache.add(offline);
      });
    }).catch(function () {}));
    return response;
  }).catch(function () {
    return savedPage(request).then(function (saved) {
      return saved || caches.match(offlinePageFor(new URL(request.url).pathname));
    }).then(function (answer) {
      return answer || Response.error();
    });
  });
}

// A form sent by a page (POST). When it cannot reach the server, the page stays where it is
// (204) and is told, so it can say that nothing was recorded; the learner's input stays put.
function sendForm(event) {
  var request = event.request;
  var path = new URL(request.url).pathname;
  return fetch(request).then(function (response) {
    if (/\/accounts\/logout\/$/.test(path)) {
      // Signed out: forget the pages this person read.
      event.waitUntil(caches.delete(PAGES));
    }
    return response;
  }).catch(function () {
    event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (tabs) {
      tabs.forEach(function (tab) {
        if (tab.url === request.referrer || tab.focused) tab.postMessage({ type: "not-sent" });
      });
    }));
    return new Response(null, { status: 204 });
  });
}

function asset(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(caches.open(ASSETS).then(function (cache) {
        return cache.put(request, copy);
      }));
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (found) {
      return found || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/admin/") === 0) return;
  if (request.mode === "navigate") {
    event.respondWith(request.method === "GET" ? readPage(event) : sendForm(event));
  } else if (
    request.method === "GET" &&
    url.pathname.indexOf(CONFIG.staticPrefix) === 0 &&
    /\.(css|js)$/.test(url.pathname)
  ) {
    event.respondWith(asset(event));
  }
});
