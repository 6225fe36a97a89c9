"use strict";
// The strategy panels, drawn from /strategies: P&L over time as an inline SVG chart, the
// figures, balances, each exchange's top of book, open orders and recent fills. Money comes
// as decimal strings and is shown as sent; only the chart converts it to numbers, to draw.

const svgNs = "http://www.w3.org/2000/svg";

function svg(tag, attributes, text) {
  const e = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes || {})) e.setAttribute(key, String(value));
  if (text !== undefined) e.textContent = text;
  return e;
}

function signClass(decimalText) {
  if (decimalText.startsWith("-")) return "loss";
  return /[1-9]/.test(decimalText) ? "profit" : "";
}

/// The P&L series as a line: time across, total P&L up, a dashed zero line when in range.
function pnlChart(series, asset) {
  const width = 600, height = 180, left = 64, right = 8, top = 10, bottom = 22;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`,
                             preserveAspectRatio: "none", role: "img" });
  chart.dataset.points = String(series.length);
  chart.append(svg("title", {}, "realised P&L over time" + (asset ? " (" + asset + ")" : "")));
  if (series.length === 0) {
    chart.append(svg("text", { x: left, y: height / 2 }, "no P&L recorded yet"));
    return chart;
  }
  const times = series.map(p => p.unix_ms), values = series.map(p => Number(p.total));
  let low = Math.min(0, ...values), high = Math.max(0, ...values);
  if (high === low) { high += 1; low -= 1; }
  const t0 = times[0], t1 = Math.max(times[times.length - 1], t0 + 1);
  const x = t => left + (t - t0) / (t1 - t0) * (width - left - right);
  const y = v => top + (high - v) / (high - low) * (height - top - bottom);
  chart.append(svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }));
  chart.append(svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right,
                             y2: height - bottom }));
  chart.append(svg("line", { class: "zero", x1: left, y1: y(0), x2: width - right, y2: y(0) }));
  const label = v => String(Number(v.toPrecision(6)));
  chart.append(svg("text", { x: 2, y: top + 10 }, label(high)));
  chart.append(svg("text", { x: 2, y: height - bottom }, label(low)));
  const clock = ms => new Date(ms).toISOString().substring(11, 19);
  chart.append(svg("text", { x: left, y: height - 6 }, clock(t0)));
  chart.append(svg("text", { x: width - right - 50, y: height - 6 }, clock(t1)));
  const points = series.map(p => x(p.unix_ms).toFixed(1) + "," + y(Number(p.total)).toFixed(1));
  if (points.length === 1) points.push((width - right) + "," + y(values[0]).toFixed(1));
  chart.append(svg("polyline", { class: "line", points: points.join(" ") }));
  chart.dataset.last = series[series.length - 1].total;
  return chart;
}

function figure(label, value, className) {
  const f = element("span", "figure");
  f.append(label + " ", element("b", className || "", value));
  return f;
}

function sideCell(side) { return { text: side, className: side }; }
function num(text) { return { text: text === null ? "–" : text, className: "num" }; }

function topOfBookTable(tops) {
  return table(["exchange", "market", { label: "bid size", num: true }, { label: "bid", num: true },
                { label: "ask", num: true }, { label: "ask size", num: true }],
               tops.map(t => [t.exchange, t.market, num(t.bid_size), num(t.bid_price),
                              num(t.ask_price), num(t.ask_size)]),
               (tr, i) => { tr.dataset.top = tops[i].exchange + "/" + tops[i].market; });
}

function ordersTable(orders) {
  return table(["exchange", "market", "side", { label: "price", num: true },
                { label: "amount", num: true }, { label: "filled", num: true }, "client id"],
               orders.map(o => [o.exchange, o.market, sideCell(o.side), num(o.price), num(o.amount),
                                num(o.filled), o.client_order_id]),
               (tr, i) => { tr.dataset.clientOrderId = orders[i].client_order_id; });
}

function fillsTable(fills) {
  const newest = fills.slice().reverse();
  return table(["time", "exchange", "market", "side", { label: "price", num: true },
                { label: "amount", num: true }, { label: "fee", num: true }, "client id"],
               newest.map(f => [timeOf(f.time), f.exchange, f.market, sideCell(f.side), num(f.price),
                                num(f.amount), num(f.fee + " " + f.fee_asset), f.client_order_id]),
               (tr, i) => { tr.dataset.fill = newest[i].client_order_id; });
}

function balancesTable(strategy) {
  const pnl = strategy.pnl.by_exchange.map(p => [p.exchange, "P&L", { text: p.realised,
                                                  className: "num " + signClass(p.realised) }, num("")]);
  const balances = strategy.balances.map(b => [b.exchange, b.asset, num(b.total), num(b.available)]);
  return table(["exchange", "asset", { label: "total", num: true }, { label: "free", num: true }],
               pnl.concat(balances));
}

function block(title, content, emptyText, isEmpty) {
  const holder = element("div");
  holder.append(element("h3", "", title));
  holder.append(isEmpty ? element("p", "empty", emptyText) : content);
  return holder;
}

function strategyPanel(s) {
  const panel = element("section", "panel strategy");
  panel.dataset.strategy = s.name;
  panel.dataset.state = s.state;
  panel.dataset.pnlTotal = s.pnl.total;
  const title = element("h2");
  title.append(s.name + " ", element("span", "kind", s.kind), " ", element("span", "badge " + s.state, s.state));
  if (s.reason) title.append(" ", element("span", "meta", s.reason));
  panel.append(title);
  const figures = element("div", "figures");
  figures.append(figure("P&L", s.pnl.total + (s.pnl.asset ? " " + s.pnl.asset : ""),
                        "pnl-total " + signClass(s.pnl.total)),
                 figure("opportunities", String(s.counters.opportunities)),
                 figure("orders", String(s.counters.orders_placed)),
                 figure("fills", String(s.counters.fills)),
                 figure("open", String(s.open_orders.length)),
                 element("span", "meta", "updated " + timeOf(s.updated_at)));
  panel.append(figures, pnlChart(s.pnl_series, s.pnl.asset));
  const columns = element("div", "columns");
  columns.append(block("Top of book", topOfBookTable(s.top_of_book), "no book yet", s.top_of_book.length === 0),
                 block("P&L and balances", balancesTable(s), "no balances yet",
                       s.balances.length === 0 && s.pnl.by_exchange.length === 0));
  panel.append(columns,
               block("Open orders", ordersTable(s.open_orders), "none", s.open_orders.length === 0),
               block("Recent fills", fillsTable(s.recent_fills), "none yet", s.recent_fills.length === 0));
  return panel;
}

function renderStrategies(doc) {
  renderKillSwitch(doc.kill_switch);
  const holder = document.getElementById("strategies");
  if (doc.strategies.length === 0) {
    holder.replaceChildren(element("p", "empty", "No strategy on this node has reported yet."));
    return;
  }
  holder.replaceChildren(...doc.strategies.map(strategyPanel));
}
