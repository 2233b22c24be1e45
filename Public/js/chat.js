// Chat client: one WebSocket per room; every text from others is put in the page with
// textContent, never as HTML.
const box = document.getElementById("chat");
const list = document.getElementById("messages");
const form = document.getElementById("chat-form");
const input = document.getElementById("chat-text");
const status = document.getElementById("chat-status");
const room = box.dataset.room;

function show(event) {
  const item = document.createElement("li");
  if (event.history) item.className = "history";
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = new Date(event.ts * 1000).toLocaleTimeString();
  const author = document.createElement("span");
  author.className = "author";
  author.textContent = event.author;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = event.text;
  item.append(time, author, text);
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/chat/ws?room=${encodeURIComponent(room)}`);
  socket.addEventListener("open", () => { status.textContent = `In room ${room}.`; });
  socket.addEventListener("message", (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "message") show(event);
    else if (event.type === "error") status.textContent = event.message;
  });
  socket.addEventListener("close", () => {
    status.textContent = "Disconnected; reconnecting…";
    list.replaceChildren();
    setTimeout(connect, 2000);
  });
  form.onsubmit = (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ text }));
    input.value = "";
  };
}

connect();
