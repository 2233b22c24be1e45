// Uploads the chosen picture to the users API with the page's CSRF token, then reloads.
const form = document.getElementById("avatar-form");
const status = document.getElementById("avatar-status");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = new FormData(form);
  status.textContent = "Uploading…";
  const response = await fetch(`/api/users/${form.dataset.userId}/avatar`, {
    method: "POST", body, headers: { "X-CSRF-Token": csrf },
  });
  if (response.ok) {
    window.location.reload();
  } else {
    const error = await response.json().catch(() => ({ message: response.statusText }));
    status.textContent = error.message;
  }
});
