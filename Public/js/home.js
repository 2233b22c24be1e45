// The call page lives at /call/ROOM; a plain GET form cannot put the room in the path.
const form = document.getElementById("call-form");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const room = document.getElementById("call-room").value.trim();
  if (room) window.location.assign("/call/" + encodeURIComponent(room));
});
