// Decimal parsing of the price and size strings Binance sends, taken from the real capture.

#include <benchmark/benchmark.h>
#include <zlib.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/decimal.hpp"

namespace {

// Every quoted number inside the capture's depth levels: ["61737.63000000","0.00012300"].
std::vector<std::string> capture_numbers(std::size_t limit) {
  std::string path = std::string{TERN_SHARED_DIR} + "/data/binance-captures/spot/btcusdt_20240808.gz";
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr)
    throw std::runtime_error{"cannot open " + path};
  std::vector<std::string> numbers;
  std::vector<char> line(1 << 20);
  while (numbers.size() < limit && gzgets(file, line.data(), static_cast<int>(line.size()))) {
    std::string_view text{line.data()};
    for (std::size_t at = text.find("[\""); at != std::string_view::npos && numbers.size() < limit;
         at = text.find("[\"", at + 1)) {
      std::size_t begin = at + 2;
      std::size_t end = text.find('"', begin);
      std::size_t second_begin = text.find('"', end + 1) + 1;
      std::size_t second_end = text.find('"', second_begin);
      numbers.emplace_back(text.substr(begin, end - begin));
      numbers.emplace_back(text.substr(second_begin, second_end - second_begin));
    }
  }
  gzclose(file);
  return numbers;
}

void decimal_parse_exchange_strings(benchmark::State& state) {
  static const std::vector<std::string> numbers = capture_numbers(200'000);
  std::size_t index = 0;
  for (auto _ : state) {
    auto parsed = tern::decimal::parse(numbers[index]);
    benchmark::DoNotOptimize(parsed);
    if (++index == numbers.size())
      index = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["strings"] = static_cast<double>(numbers.size());
}
BENCHMARK(decimal_parse_exchange_strings);

void decimal_to_string(benchmark::State& state) {
  auto value = tern::decimal::from_string("61737.63");
  for (auto _ : state) {
    auto text = value.to_string();
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(decimal_to_string);

void decimal_multiply(benchmark::State& state) {
  auto price = tern::decimal::from_string("61737.63");
  auto size = tern::decimal::from_string("0.00012300");
  for (auto _ : state) {
    auto product = tern::decimal::multiply(price, size, tern::rounding::half_even);
    benchmark::DoNotOptimize(product);
  }
}
BENCHMARK(decimal_multiply);

void decimal_divide(benchmark::State& state) {
  auto cost = tern::decimal::from_string("7.59372849");
  auto size = tern::decimal::from_string("0.00012300");
  for (auto _ : state) {
    auto quotient = tern::decimal::divide(cost, size, tern::rounding::half_even);
    benchmark::DoNotOptimize(quotient);
  }
}
BENCHMARK(decimal_divide);

} // namespace

BENCHMARK_MAIN();
