// One exchange account in a process of its own, for conformance item 13's whole-process crash:
// the test runs the simulator, starts this process, has it trade, kills it with SIGKILL and
// starts it again on the same journal. The account runs as `tern run` runs it (the account
// subtree under a one-for-one supervisor, the order journal in SQLite); stdin and stdout carry
// the test's commands and this process's answers, one line each.
//
//   tern_crash_account CONNECTOR ORIGIN CA_FILE JOURNAL KEY SECRET [PASSPHRASE]
//
// stdout: "ready" once every actor of the account is ready; "notice KIND CLIENT_ID" for each
// order notice; and one answer per command:
//   place SIDE PRICE AMOUNT ACTION  ->  "place ok CLIENT_ID" or "place refused REASON"
//   orders                          ->  "orders ID ID ..."       (the tracker's open orders)
//   balances                        ->  "balances ASSET=TOTAL ..." (the tracker's balances)
// Logs go to stderr.

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/account_components.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "supervision/health_board.hpp"
#include "supervision/supervisor.hpp"

namespace {

using namespace std::chrono_literals;

std::mutex out_mutex;

void say(const std::string& line) {
  std::lock_guard lock{out_mutex};
  std::cout << line << std::endl;
}

tern::endpoints endpoints_of(const std::string& connector, const std::string& origin) {
  tern::endpoints urls;
  urls.rest = "https://" + origin;
  if (connector.rfind("okx", 0) == 0) {  // docs/simulator.md: OKX's public and private paths
    urls.public_ws = "wss://" + origin + "/ws/v5/public";
    urls.private_ws = "wss://" + origin + "/ws/v5/private";
    return urls;
  }
  urls.public_ws = "wss://" + origin + "/stream";
  urls.private_ws = connector == "binance" ? "wss://" + origin + "/ws-api/v3"
                                           : "wss://" + origin + "/ws/{listenKey}";
  return urls;
}

/// Short timings, as the in-process conformance tests use, so reconciliation settles quickly.
tern::account_timings quick_timings() {
  tern::account_timings timings;
  timings.request_timeout = 5s;
  timings.place_timeout = 1s;
  timings.status_poll = 500ms;
  timings.quiet_poll = 1s;
  timings.stale_stream = 0ms;  // the market is paused: silence is not a dead stream
  timings.retry_delay = 200ms;
  timings.completion_wait = 1s;
  return timings;
}

caf::behavior printer(caf::event_based_actor*) {
  return {
      [](const tern::order_notice& notice) {
        say("notice " + std::string{to_string(notice.kind)} + " " + notice.client_order_id);
      },
      [](const tern::top_of_book&) {},
      [](const tern::command_reply&) {},
  };
}

std::string place(caf::scoped_actor& self, const caf::actor& exchange, std::istringstream& args) {
  std::string order_side, price, amount, action;
  args >> order_side >> price >> amount >> action;
  tern::order_intent intent;
  intent.pair = "BTC-USDT";
  intent.order_side = order_side == "sell" ? tern::side::sell : tern::side::buy;
  intent.price = tern::decimal::from_string(price);
  intent.amount = tern::decimal::from_string(amount);
  intent.action = action == "open" ? tern::position_action::open : tern::position_action::none;
  std::string answer = "place refused: no answer";
  self->request(exchange, 10s, tern::place_atom::value, intent)
      .receive(
          [&](const tern::place_reply& reply) {
            answer = reply.accepted() ? "place ok " + reply.client_order_id
                                      : "place refused " + reply.refusal;
          },
          [&](caf::error& error) { answer = "place refused " + to_string(error); });
  return answer;
}

std::string orders(caf::scoped_actor& self, const caf::actor& exchange) {
  std::string answer = "orders";
  self->request(exchange, 10s, tern::orders_atom::value)
      .receive(
          [&](const std::vector<tern::order_notice>& open) {
            for (const auto& notice : open)
              answer += " " + notice.client_order_id;
          },
          [&](caf::error& error) { answer = "error " + to_string(error); });
  return answer;
}

std::string balances(caf::scoped_actor& self, const caf::actor& exchange) {
  std::string answer = "balances";
  self->request(exchange, 10s, tern::balances_atom::value)
      .receive(
          [&](const std::vector<tern::balance>& all) {
            for (const auto& entry : all)
              answer += " " + entry.asset + "=" + entry.total.to_string();
          },
          [&](caf::error& error) { answer = "error " + to_string(error); });
  return answer;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr << "usage: tern_crash_account CONNECTOR ORIGIN CA_FILE JOURNAL KEY SECRET "
                 "[PASSPHRASE]\n";
    return 2;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("account"));
  const std::string connector = argv[1];
  std::ifstream ca_file{argv[3]};
  std::stringstream ca;
  ca << ca_file.rdbuf();

  tern::account_settings settings;
  settings.name = connector + "_main";
  settings.connector = connector;
  settings.markets = {"BTC-USDT"};
  settings.keys = tern::credentials{argv[5], argv[6], argc > 7 ? argv[7] : std::string{}};
  settings.journal = argv[4];
  settings.timings = quick_timings();
  settings.protocol.urls = endpoints_of(connector, argv[2]);
  settings.trust.trust = tern::net::trust_source::ca_pem;
  settings.trust.ca_pem = ca.str();

  // Declared so the actor system goes down before the io threads and the account.
  tern::account_runtime accounts{1};
  auto added = accounts.add(settings);
  if (!added) {
    std::cerr << added.error() << "\n";
    return 1;
  }
  tern::supervision::health_board board;
  tern::runtime_options options;
  options.scheduler_threads = 2;
  tern::runtime rt{options};

  tern::supervision::supervisor_policy policy;
  policy.strategy = tern::supervision::restart_strategy::one_for_one;
  tern::supervision::tree_options tree;
  tree.publish = board.publisher();
  rt.add("root", tern::supervision::spawn_supervision_tree(
                     rt.system(), accounts.account_tree(settings.name, policy), std::move(tree)));
  const bool ready = board.await(
      [&](const tern::supervision::health_node& root) {
        for (const char* child :
             {"services", "connection", "book.BTC-USDT", "user_stream", "orders", "exchange"}) {
          const auto* node = tern::supervision::find_node(root, settings.name + "/" + child);
          if (node == nullptr || node->state != tern::supervision::health_state::ready)
            return false;
        }
        return true;
      },
      30s).tree != nullptr;
  if (!ready) {
    std::cerr << "the account did not become ready\n";
    return 1;
  }
  auto exchange = (*added)->directory.get("exchange");
  auto notices = rt.system().spawn(printer);
  caf::send_as(notices, exchange, tern::subscribe_atom::value);
  caf::scoped_actor self{rt.system()};
  (void)orders(self, exchange);  // answered after the subscription: notices reach the printer
  say("ready");

  for (std::string line; std::getline(std::cin, line);) {
    std::istringstream args{line};
    std::string command;
    args >> command;
    if (command == "place")
      say(place(self, exchange, args));
    else if (command == "orders")
      say(orders(self, exchange));
    else if (command == "balances")
      say(balances(self, exchange));
    else
      say("unknown " + command);
  }
  caf::anon_send_exit(notices, caf::exit_reason::user_shutdown);
  rt.shutdown();
  return 0;
}
