// `tern replay EXCHANGE --market M FILE`: replays a capture (gzip, "<receive ns> <frame>" lines,
// ../shared/data/binance-captures/README.md) through the connector's public parser and its
// book-sync rule. After each diff applied to the book it prints
//   {"u":<final update id>,"bid":"<price>","bid_qty":"<size>","ask":"<price>","ask_qty":"<size>"}
// (null for an empty side), then one summary line with the counts, gaps and throughput.

#include <zlib.h>

#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "apps/commands.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "connectors/registry.hpp"

namespace tern::apps {

namespace {

struct replay_options {
  std::string exchange;
  std::string market;
  std::string file;
};

struct replay_counts {
  std::size_t messages = 0;
  std::size_t diffs = 0;
  std::size_t applied = 0;
  std::size_t snapshots = 0;
  std::size_t gaps = 0;  ///< resyncs the book sync asked for, whatever the reason
  std::size_t unknown = 0;
  std::size_t malformed = 0;
};

/// Reads a gzip (or plain) text file line by line.
class line_reader {
 public:
  explicit line_reader(const std::string& path) : file_(gzopen(path.c_str(), "rb")) {
    if (file_ != nullptr)
      gzbuffer(file_, 1 << 17);
  }
  ~line_reader() {
    if (file_ != nullptr)
      gzclose(file_);
  }
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  [[nodiscard]] bool is_open() const noexcept { return file_ != nullptr; }

  /// The next line without its end, or false at the end of the file.
  bool next(std::string& line) {
    line.clear();
    bool read = false;
    char chunk[1 << 16];
    while (gzgets(file_, chunk, sizeof(chunk)) != nullptr) {
      read = true;
      line += chunk;
      if (line.back() == '\n')
        break;
    }
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
      line.pop_back();
    return read;  // false at the end, and on a read error
  }

 private:
  gzFile file_;
};

std::string_view frame_of(std::string_view line, timestamp& received) {
  auto space = line.find(' ');
  std::int64_t ns = 0;
  if (space != std::string_view::npos
      && std::from_chars(line.data(), line.data() + space, ns).ptr == line.data() + space) {
    received = from_unix_ns(ns);
    return line.substr(space + 1);
  }
  return line;
}

void print_top(std::int64_t update_id, const order_book& book, std::string& out) {
  out.clear();
  out += "{\"u\":" + std::to_string(update_id);
  auto side = [&out](const char* price, const char* size, std::optional<price_level> level) {
    out += std::string{",\""} + price + "\":";
    out += level ? "\"" + level->price.to_string() + "\"" : std::string{"null"};
    out += std::string{",\""} + size + "\":";
    out += level ? "\"" + level->size.to_string() + "\"" : std::string{"null"};
  };
  side("bid", "bid_qty", book.best_bid());
  side("ask", "ask_qty", book.best_ask());
  out += "}\n";
  std::cout << out;
}

void report_resync(const resync_needed& resync, replay_counts& counts) {
  ++counts.gaps;
  std::cerr << "tern replay: resync needed: " << resync.message() << '\n';
}

void feed(public_event_kind kind, const public_frame& frame, sequenced_book_sync& sync,
          replay_counts& counts, std::string& buffer) {
  if (kind == public_event_kind::book_delta) {
    ++counts.diffs;
    auto result = sync.on_diff(frame.depth);
    if (!result) {
      report_resync(result.error(), counts);
    } else if (*result == diff_outcome::applied) {
      ++counts.applied;
      print_top(frame.depth.last_sequence, sync.book(), buffer);
    }
  } else if (kind == public_event_kind::book_snapshot) {
    ++counts.snapshots;
    auto result = sync.on_snapshot(frame.snapshot, [&](const book_delta& diff, const order_book& book) {
      ++counts.applied;
      print_top(diff.last_sequence, book, buffer);
    });
    if (!result)
      report_resync(result.error(), counts);
  }
}

int run(const replay_options& options) {
  auto protocol = make_protocol(options.exchange);
  if (!protocol) {
    std::cerr << "tern replay: " << protocol.error() << '\n';
    return exit_usage;
  }
  // A capture replays through sequenced_book_sync: REST snapshot plus sequenced diffs, the
  // Binance way. Exchanges whose stream sends the snapshot itself have no such capture.
  if (book_sync_kind kind = (*protocol)->book_sync().kind;
      kind != book_sync_kind::rest_snapshot_sequenced_diffs) {
    std::cerr << "tern replay: " << options.exchange << " keeps its book as "
              << to_string(kind)
              << ", and tern replay replays captures of REST-snapshot-and-diff books (Binance, "
                 "../shared/data/binance-captures); there is no "
              << options.exchange << " capture to replay\n";
    return exit_usage;
  }
  auto pair = trading_pair::parse(options.market);
  if (!pair) {
    std::cerr << "tern replay: --market: " << pair.error().message() << '\n';
    return exit_usage;
  }
  line_reader reader{options.file};
  if (!reader.is_open()) {
    std::cerr << "tern replay: cannot open " << options.file << '\n';
    return exit_failure;
  }
  symbol_map markets;
  markets.add(*pair, (*protocol)->default_symbol(*pair));
  auto parser = (*protocol)->make_public_parser(markets);
  sequenced_book_sync sync{pair->to_string(), (*protocol)->book_sync().policy};
  public_frame frame;
  replay_counts counts;
  std::string line;
  std::string buffer;
  auto started = std::chrono::steady_clock::now();
  while (reader.next(line)) {
    if (line.empty())
      continue;
    ++counts.messages;
    timestamp received{};
    auto kind = parser->parse(frame_of(line, received), received, frame);
    if (!kind) {
      (kind.error().kind == frame_problem::kind_type::unknown ? counts.unknown : counts.malformed) += 1;
      std::cerr << "tern replay: line " << counts.messages << ": " << kind.error().message() << '\n';
      continue;
    }
    feed(*kind, frame, sync, counts, buffer);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::ordered_json summary;
  summary["messages"] = counts.messages;
  summary["diffs"] = counts.diffs;
  summary["applied"] = counts.applied;
  summary["snapshots"] = counts.snapshots;
  summary["gaps"] = counts.gaps;
  summary["unknown"] = counts.unknown;
  summary["malformed"] = counts.malformed;
  summary["seconds"] = seconds;
  summary["messages_per_second"] = seconds > 0 ? static_cast<double>(counts.messages) / seconds : 0.0;
  std::cout << nlohmann::ordered_json{{"summary", summary}}.dump() << '\n';
  return exit_ok;
}

} // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "replay", "Replay a market-data capture through the connector's parser and book sync");
  command->footer(
      "FILE: a capture, gzip or plain, one \"<receive ns> <frame>\" line each\n"
      "(../shared/data/binance-captures/README.md). Prints after each applied diff\n"
      "{\"u\":...,\"bid\":\"...\",\"bid_qty\":\"...\",\"ask\":\"...\",\"ask_qty\":\"...\"} and ends with a\n"
      "summary line: messages, diffs, applied, snapshots, gaps (resyncs needed), unknown and\n"
      "malformed frames, seconds and messages per second. Resyncs and unreadable frames are also\n"
      "reported on stderr. Exit 1 when FILE cannot be read. Binance connectors only: exchanges\n"
      "whose stream sends the book snapshot itself (okx) have no capture and exit 2.");
  auto options = std::make_shared<replay_options>();
  command->add_option("EXCHANGE", options->exchange, "Connector: binance, binance_perpetual")->required();
  command->add_option("--market", options->market, "The capture's market, BASE-QUOTE")->required();
  command->add_option("FILE", options->file, "Capture file")->required();
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

} // namespace tern::apps
