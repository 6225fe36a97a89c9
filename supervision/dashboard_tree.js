"use strict";
// The supervision tree and the links to peer nodes, drawn from /health. Nodes whose restart
// count went up since the previous poll flash.

const seenRestarts = new Map();

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function timeOf(iso) { return iso ? iso.substring(11, 23) : ""; }

/// A table with a header row; `rows` are arrays of cells: text, or {text, className} for a
/// styled cell, or {text, badge} for a coloured state badge.
function table(headers, rows, decorate) {
  const t = element("table");
  const head = element("tr");
  for (const h of headers) head.append(element("th", h.num ? "num" : "", h.label || h));
  t.append(head);
  rows.forEach((cells, index) => {
    const tr = element("tr");
    for (const cell of cells) {
      if (typeof cell !== "object" || cell === null) { tr.append(element("td", "", cell)); continue; }
      const td = element("td", cell.className || "");
      if (cell.badge) td.append(element("span", "badge " + cell.badge, cell.text));
      else td.textContent = cell.text;
      tr.append(td);
    }
    if (decorate) decorate(tr, index);
    t.append(tr);
  });
  return t;
}

function renderNode(node, counts) {
  counts[node.state] = (counts[node.state] || 0) + 1;
  const item = element("li", "node state-" + node.state);
  item.dataset.path = node.path;
  item.dataset.state = node.state;
  item.dataset.restarts = String(node.restarts);
  const previous = seenRestarts.get(node.path);
  if (previous !== undefined && node.restarts > previous) item.classList.add("changed");
  seenRestarts.set(node.path, node.restarts);

  const card = element("div", "card");
  card.append(element("span", "name", node.name));
  if (node.kind === "supervisor") card.append(element("span", "kind", "supervisor " + node.strategy));
  const badge = element("span", "badge " + node.state, node.state);
  badge.title = "since " + node.since;
  card.append(badge);
  if (node.reason) card.append(element("span", "meta reason", node.reason));
  card.append(element("span", "meta restarts", "restarts " + node.restarts));
  if (node.mailbox_size !== null && node.mailbox_size > 0)
    card.append(element("span", "meta", "mailbox " + node.mailbox_size));
  if (node.last_failure)
    card.append(element("span", "failure",
                        "last failure " + timeOf(node.last_failure.time) + " " + node.last_failure.reason));
  item.append(card);
  if (node.children.length > 0) {
    const list = element("ul");
    for (const child of node.children) list.append(renderNode(child, counts));
    item.append(list);
  }
  return item;
}

/// The links to peer nodes; the panel stays hidden on a node without a cluster layer.
function renderNodes(links) {
  const panel = document.getElementById("nodes-panel");
  const holder = document.getElementById("nodes");
  if (!Array.isArray(links)) { panel.hidden = true; holder.replaceChildren(); return; }
  panel.hidden = false;
  if (links.length === 0) { holder.replaceChildren(element("p", "empty", "No peer nodes.")); return; }
  const rows = links.map(link => [
    link.name, link.address, { text: link.state, badge: link.state },
    { text: link.latency_us === null ? "–" : link.latency_us + " µs", className: "num" },
    link.last_loss ? timeOf(link.last_loss) : "never", { text: link.reason || "", className: "wrap" }]);
  holder.replaceChildren(table(
    ["node", "address", "state", { label: "latency", num: true }, "last loss", "reason"], rows,
    (tr, i) => { tr.dataset.node = links[i].name; tr.dataset.state = links[i].state; }));
}

function renderKillSwitch(status) {
  const where = document.getElementById("kill-switch");
  if (!status) { where.textContent = ""; return; }
  let text = "kill switch " + (status.armed ? "armed" : "not armed");
  if (status.running) text += ", running";
  else if (status.last) {
    text += ", pulled " + timeOf(status.last.requested_at) + " by " + status.last.source;
    if (status.last.ok !== null) text += status.last.ok ? ": done" : ": incomplete";
    if (status.last.detail) text += " (" + status.last.detail + ")";
  }
  where.textContent = text;
  where.dataset.invocations = String(status.invocations);
}

function renderHealth(doc) {
  const overall = document.getElementById("overall");
  overall.textContent = doc.status;
  overall.className = "badge " + doc.status;
  document.body.dataset.status = doc.status;
  renderNodes(doc.nodes);
  if (doc.kill_switch) renderKillSwitch(doc.kill_switch);
  const tree = document.getElementById("tree");
  if (!doc.tree) {
    tree.replaceChildren();
    document.getElementById("age").textContent = "waiting for the first health report";
    return;
  }
  document.getElementById("root-name").textContent = "— " + doc.tree.name;
  const counts = {};
  tree.replaceChildren(renderNode(doc.tree, counts));
  document.getElementById("counts").textContent =
    Object.entries(counts).map(([state, n]) => n + " " + state).join(", ");
  const age = (doc.generated_at_unix_ms - doc.updated_at_unix_ms) / 1000;
  document.getElementById("age").textContent =
    "tree updated " + age.toFixed(1) + " s ago, page refreshed " + timeOf(doc.generated_at);
}
