#pragma once

// Small components for testing the cluster with real processes, standing in for the exchange
// and strategy actors (which register in the same component registry):
// - "order_book": a ticker that registers as "<exchange>/<market>/book" and sends numbered
//   updates (tick_atom, seq, steady_ns) to every subscriber every 20 ms;
// - "connection", "order_tracker": idle actors registered as "<exchange>/exchange" and
//   "<exchange>/orders", so the tree is complete;
// - "arbitrage": a counter that looks up its strategy's books through the directory,
//   subscribes, and counts updates per book (metrics tern_test_updates_total{book} and
//   tern_test_last_seq{book}); it reports degraded, naming the unreachable node, while a
//   book is missing, and looks it up again every 200 ms.

#include "cluster/node.hpp"
#include "supervision/node_tree.hpp"

namespace tern::testing {

[[nodiscard]] supervision::component_registry cluster_test_components(
    const cluster::node_services& services);

} // namespace tern::testing
