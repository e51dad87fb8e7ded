// The Text-to-LoRA page: plain JavaScript over the server's OpenAI-compatible API.
"use strict";
const $ = (id) => document.getElementById(id);
let adapterId = null;

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}

async function errorText(response) {
  try { return (await response.json()).error.message; } catch { return response.status + " " + response.statusText; }
}

function selectAdapter(entry) {
  adapterId = entry.id;
  $("adapter-status").textContent = `Adapter ${entry.id}: ${entry.parameters.toLocaleString()} parameters, generated in ${Math.round(entry.generation_ms)} ms.`;
  const link = $("download");
  link.href = `/v1/adapters/${entry.id}/download`;
  link.hidden = false;
}

async function refreshAdapters() {
  const response = await fetch("/v1/adapters", { headers: headers() });
  if (!response.ok) return;
  const list = $("adapters");
  list.replaceChildren();
  for (const entry of (await response.json()).data) {
    const item = document.createElement("li");
    const use = document.createElement("button");
    use.type = "button";
    use.textContent = "Use";
    use.setAttribute("aria-label", `Use adapter for: ${entry.description}`);
    use.addEventListener("click", () => { $("description").value = entry.description; selectAdapter(entry); });
    item.append(use, " " + entry.description);
    list.append(item);
  }
}

async function generate() {
  const description = $("description").value.trim() || $("description").placeholder;
  $("description").value = description;
  $("adapter-status").textContent = "Generating…";
  $("generate").disabled = true;
  try {
    const started = performance.now();
    const response = await fetch("/v1/adapters", { method: "POST", headers: headers(), body: JSON.stringify({ description }) });
    if (!response.ok) { $("adapter-status").textContent = "Error: " + await errorText(response); return; }
    const entry = await response.json();
    selectAdapter(entry);
    $("adapter-status").textContent += ` Round trip ${Math.round(performance.now() - started)} ms.`;
    await refreshAdapters();
  } finally {
    $("generate").disabled = false;
  }
}

// Streams one answer into `target` (server-sent events in OpenAI's chunk format).
async function stream(model, message, target) {
  const body = { model, messages: [{ role: "user", content: message }], max_tokens: Number($("max-tokens").value) || 32, stream: true };
  const response = await fetch("/v1/chat/completions", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (!response.ok) { target.textContent = "Error: " + await errorText(response); target.classList.add("error"); return; }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!event.startsWith("data: ")) continue;
      const data = event.slice(6);
      if (data === "[DONE]") { target.dataset.done = "true"; return; }
      const chunk = JSON.parse(data);
      if (chunk.error) { target.textContent += " [error: " + chunk.error.message + "]"; continue; }
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) target.textContent += delta;
    }
  }
}

function answerBox(title) {
  const box = document.createElement("div");
  box.className = "answer";
  box.setAttribute("aria-live", "polite");
  const heading = document.createElement("h4");
  heading.textContent = title;
  const text = document.createElement("div");
  text.className = "answer-text";
  box.append(heading, text);
  $("answers").append(box);
  return text;
}

async function send(event) {
  event?.preventDefault();
  const message = $("message").value.trim();
  if (!message) return;
  const mode = document.querySelector("input[name=mode]:checked").value;
  if (mode !== "base" && !adapterId) await generate();
  $("answers").replaceChildren();
  $("answers").classList.toggle("both", mode === "both");
  const runs = [];
  if (mode !== "adapter") runs.push(stream(null, message, answerBox("base model")));
  if (mode !== "base" && adapterId) runs.push(stream(adapterId, message, answerBox("base + adapter")));
  $("send").disabled = true;
  try { await Promise.all(runs); } finally { $("send").disabled = false; $("message").focus(); }
}

// With an API key the link cannot carry the header: fetch the zip with it and save the blob instead.
$("download").addEventListener("click", async (e) => {
  if (!$("api-key").value.trim()) return;
  e.preventDefault();
  const response = await fetch($("download").href, { headers: headers() });
  if (!response.ok) { $("adapter-status").textContent = "Error: " + await errorText(response); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = adapterId + ".zip";
  link.click();
  URL.revokeObjectURL(link.href);
});
$("generate").addEventListener("click", generate);
$("chat-form").addEventListener("submit", send);
$("message").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey) send(e); });
refreshAdapters();
