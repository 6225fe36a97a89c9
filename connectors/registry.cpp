#include "connectors/registry.hpp"

#include <array>

#include "connectors/binance/protocol.hpp"
#include "connectors/okx/protocol.hpp"

namespace tern {

namespace {

using factory = std::unique_ptr<exchange_protocol> (*)(const protocol_options&);

struct entry {
  std::string_view name;
  factory make;
};

constexpr std::array<entry, 4> entries{{
    {"binance", &binance::make_spot_protocol},
    {"binance_perpetual", &binance::make_usd_m_protocol},
    {"okx", &okx::make_spot_protocol},
    {"okx_perpetual", &okx::make_swap_protocol},
}};

constexpr auto names = [] {
  std::array<std::string_view, entries.size()> out{};
  for (std::size_t i = 0; i < entries.size(); ++i)
    out[i] = entries[i].name;
  return out;
}();

} // namespace

std::span<const std::string_view> protocol_names() noexcept { return names; }

expected<std::unique_ptr<exchange_protocol>, std::string> make_protocol(
    std::string_view name, const protocol_options& options) {
  for (const entry& candidate : entries)
    if (candidate.name == name)
      return candidate.make(options);
  std::string known;
  for (std::string_view each : names)
    known += (known.empty() ? "" : ", ") + std::string{each};
  return unexpected{"unknown connector \"" + std::string{name} + "\" (known: " + known + ")"};
}

} // namespace tern
