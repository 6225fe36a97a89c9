#include "actors/account_components.hpp"

#include <stdexcept>
#include <utility>

#include <caf/send.hpp>

#include "actors/account_messages.hpp"
#include "actors/book_actor.hpp"
#include "actors/exchange_actor.hpp"
#include "actors/market_connection.hpp"
#include "actors/order_tracker_actor.hpp"
#include "actors/services_actor.hpp"
#include "actors/user_stream_actor.hpp"
#include "net/io_runtime.hpp"

namespace tern {
namespace {

using spawner = std::function<caf::actor(caf::actor_system&, const account_context_ptr&,
                                         const supervision::child_context&)>;

/// A child spec whose every incarnation is registered in the account's directory.
supervision::child_spec registered(const account_context_ptr& context, std::string name,
                                   spawner spawn, bool reports_readiness = true) {
  supervision::child_spec spec;
  spec.name = name;
  spec.reports_readiness = reports_readiness;
  spec.start = [context, name, spawn = std::move(spawn)](caf::actor_system& system,
                                                        const supervision::child_context& child) {
    auto actor = spawn(system, context, child);
    context->directory.put(name, actor);
    return actor;
  };
  return spec;
}

} // namespace

account_runtime::account_runtime(std::size_t io_threads)
    : io_(std::make_unique<net::io_runtime>(io_threads)) {
  io_->start();
}

account_runtime::~account_runtime() {
  for (auto& [name, context] : accounts_)
    context->close();
  accounts_.clear();
  io_->stop();
  io_->join();
}

expected<account_context_ptr, std::string> account_runtime::add(account_settings settings) {
  if (accounts_.contains(settings.name))
    return unexpected{"account " + settings.name + " is configured twice"};
  const auto name = settings.name;
  auto context = account_context::create(std::move(settings), io_->context());
  if (!context)
    return unexpected{context.error()};
  accounts_.emplace(name, *context);
  return *context;
}

account_context_ptr account_runtime::find(std::string_view name) const {
  auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : it->second;
}

supervision::child_spec account_runtime::component(const std::string& name,
                                                   const std::string& kind,
                                                   const std::string& market) {
  auto context = find(name);
  if (!context)
    throw std::invalid_argument("no exchange account named " + name);
  if (kind == "services")
    return registered(context, "services", [](auto& system, const auto& ctx, const auto& child) {
      return spawn_services(system, ctx, child);
    });
  if (kind == "connection")
    return registered(context, "connection", [](auto& system, const auto& ctx, const auto& child) {
      return spawn_market_connection(system, ctx, child);
    });
  if (kind == "order_book") {
    auto spec = registered(context, "book." + market,
                           [market](auto& system, const auto& ctx, const auto& child) {
                             return spawn_book(system, ctx, market, child);
                           });
    spec.after_restart = [](const caf::actor& book, const supervision::child_context&) {
      caf::anon_send(book, resync_atom_v);
    };
    return spec;
  }
  if (kind == "user_stream")
    return registered(context, "user_stream", [](auto& system, const auto& ctx, const auto& child) {
      return spawn_user_stream(system, ctx, child);
    });
  if (kind == "order_tracker") {
    auto spec = registered(context, "orders", [](auto& system, const auto& ctx, const auto& child) {
      return spawn_order_tracker(system, ctx, child);
    });
    // Every start reloads the journal and reconciles; the hook makes the restart explicit.
    spec.after_restart = [](const caf::actor& orders, const supervision::child_context&) {
      caf::anon_send(orders, reconcile_atom_v);
    };
    return spec;
  }
  if (kind == "exchange")
    return registered(context, "exchange", [](auto& system, const auto& ctx, const auto& child) {
      return spawn_exchange(system, ctx, child);
    });
  throw std::invalid_argument("no component named " + kind);
}

supervision::component_registry account_runtime::components() {
  supervision::component_registry registry;
  for (std::string kind :
       {"services", "connection", "order_book", "user_stream", "order_tracker", "exchange"}) {
    registry.emplace(kind, [this, kind](const supervision::tree_plan& worker) {
      const auto market = worker.settings.contains("market") ? worker.settings.at("market")
                                                             : std::string{};
      return component(worker.settings.at("exchange"), kind, market);
    });
  }
  return registry;
}

supervision::supervisor_spec account_runtime::account_tree(const std::string& name,
                                                           supervision::supervisor_policy policy) {
  auto context = find(name);
  if (!context)
    throw std::invalid_argument("no exchange account named " + name);
  supervision::supervisor_spec spec;
  spec.name = name;
  spec.policy = policy;
  spec.children.push_back(component(name, "services"));
  spec.children.push_back(component(name, "connection"));
  for (const auto& market : context->settings().markets)
    spec.children.push_back(component(name, "order_book", market));
  if (context->trades()) {
    spec.children.push_back(component(name, "user_stream"));
    spec.children.push_back(component(name, "order_tracker"));
    spec.children.push_back(component(name, "exchange"));
  }
  return spec;
}

} // namespace tern
