// `tern parse EXCHANGE [--market M]... < frames`: reads raw WebSocket frames, one per line (or
// capture lines "<receive ns> <frame>"), and prints the events the connector reads from them as
// JSON lines. Frames it does not know, or cannot read, are reported on stderr with their
// channel; they do not stop the run.

#include <charconv>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "apps/event_json.hpp"
#include "connectors/registry.hpp"

namespace tern::apps {

namespace {

struct parse_options {
  std::string exchange;
  std::vector<std::string> markets;
  std::string contract_size;  ///< base per contract of every market, where sizes are contracts
};

struct parse_counts {
  std::size_t frames = 0;
  std::size_t events = 0;
  std::size_t unknown = 0;
  std::size_t malformed = 0;
};

// "<digits> <frame>" is a capture line; anything else is the frame itself.
std::string_view split_capture(std::string_view line, timestamp& received) {
  auto space = line.find(' ');
  if (space == std::string_view::npos || space == 0)
    return line;
  std::int64_t ns = 0;
  auto [end, error] = std::from_chars(line.data(), line.data() + space, ns);
  if (error != std::errc{} || end != line.data() + space)
    return line;
  received = from_unix_ns(ns);
  return line.substr(space + 1);
}

// Public parsers first (the common case); a frame neither side knows is reported with the
// more specific of the two problems.
void parse_frame(std::string_view frame, timestamp received, const exchange_protocol& protocol,
                 public_stream_parser& public_parser, const symbol_map& markets,
                 public_frame& buffers, parse_counts& counts) {
  auto kind = public_parser.parse(frame, received, buffers);
  if (kind) {
    std::cout << to_json(*kind, buffers).dump() << '\n';
    ++counts.events;
    return;
  }
  frame_problem problem = kind.error();
  if (problem.kind == frame_problem::kind_type::unknown) {
    auto events = protocol.parse_private_frame(frame, markets, received);
    if (events) {
      for (const private_event& event : *events)
        std::cout << to_json(event).dump() << '\n';
      counts.events += events->size();
      return;
    }
    // Keep the public problem when it says more (a stream name, a market not given with
    // --market); otherwise the private parser's names the event.
    bool public_says_more = !problem.channel.empty() || problem.detail.rfind("symbol", 0) == 0;
    if (events.error().kind == frame_problem::kind_type::malformed || !public_says_more)
      problem = events.error();
  }
  (problem.kind == frame_problem::kind_type::unknown ? counts.unknown : counts.malformed) += 1;
  std::cerr << "frame " << counts.frames << ": " << problem.message();
  if (problem.detail.rfind("symbol", 0) == 0)
    std::cerr << " (name its market with --market BASE-QUOTE)";
  std::cerr << '\n';
}

int run(const parse_options& options) {
  auto protocol = make_protocol(options.exchange);
  if (!protocol) {
    std::cerr << "tern parse: " << protocol.error() << '\n';
    return exit_usage;
  }
  symbol_map markets;
  for (const std::string& text : options.markets) {
    auto pair = trading_pair::parse(text);
    if (!pair) {
      std::cerr << "tern parse: --market: " << pair.error().message() << '\n';
      return exit_usage;
    }
    std::string symbol = (*protocol)->default_symbol(*pair);
    markets.add(*pair, symbol);
    if (!options.contract_size.empty()) {
      auto size = decimal::parse(options.contract_size);
      if (!size || !size->is_positive()) {
        std::cerr << "tern parse: --contract-size must be a positive decimal, got \""
                  << options.contract_size << "\"\n";
        return exit_usage;
      }
      markets.set_contract_size(symbol, *size);
    }
  }
  auto public_parser = (*protocol)->make_public_parser(markets);
  public_frame buffers;
  parse_counts counts;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      continue;
    ++counts.frames;
    timestamp received{};
    std::string_view frame = split_capture(line, received);
    parse_frame(frame, received, **protocol, *public_parser, markets, buffers, counts);
  }
  std::cout.flush();
  std::cerr << "tern parse: " << counts.frames << " frames, " << counts.events << " events, "
            << counts.unknown << " unknown, " << counts.malformed << " malformed\n";
  return exit_ok;
}

} // namespace

void add_parse_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "parse", "Read raw WebSocket frames from stdin and print the connector's events as JSON lines");
  command->footer(
      "Input: one frame per line, or capture lines \"<receive ns> <frame>\"\n"
      "(../shared/data/binance-captures). Output: one JSON object per event on stdout, decimals\n"
      "as strings. Frames of markets not named with --market, unknown channels and unreadable\n"
      "frames are reported on stderr with their channel; a summary line ends stderr. Exit 0\n"
      "unless the command line is wrong. Where the exchange sizes in contracts (okx_perpetual),\n"
      "--contract-size gives the base amount of one contract of the --market(s).");
  auto options = std::make_shared<parse_options>();
  command->add_option("EXCHANGE", options->exchange,
                      "Connector: binance, binance_perpetual, okx, okx_perpetual")
      ->required();
  command->add_option("--market", options->markets, "Market BASE-QUOTE the frames belong to, repeatable");
  command->add_option("--contract-size", options->contract_size,
                      "Base amount of one contract (contract-sized markets, e.g. okx_perpetual)");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

} // namespace tern::apps
