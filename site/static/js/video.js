// Click-to-load video: nothing is fetched from the video host until the learner asks.
// Without JavaScript the link simply opens the video on its own page.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".video-load");
  if (!link) return;
  var figure = link.closest(".video");
  var src = figure && figure.dataset.embedSrc;
  if (!src) return;
  event.preventDefault();
  var frame = figure.querySelector(".video-frame");
  var player;
  if (figure.dataset.embedKind === "file") {
    player = document.createElement("video");
    player.controls = true;
    player.autoplay = true;
    player.src = src;
  } else {
    player = document.createElement("iframe");
    player.src = src + "?autoplay=1";
    player.allow = "autoplay; fullscreen; picture-in-picture";
    player.allowFullscreen = true;
  }
  player.title = figure.dataset.title || "";
  player.className = "video-player";
  frame.replaceChildren(player);
  player.focus();
});
