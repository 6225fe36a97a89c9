// The registry of dialects the simulator speaks.

#include "sim/binance/spot_dialect.hpp"
#include "sim/binance/usdm_dialect.hpp"
#include "sim/dialect.hpp"
#include "sim/okx/okx_dialect.hpp"

namespace tern::sim {

std::vector<std::string_view> dialect_names() { return {"binance", "binance_perpetual", "okx", "okx_perpetual"}; }

expected<std::unique_ptr<dialect>, std::string> make_dialect(std::string_view name) {
  if (name == "binance") return std::unique_ptr<dialect>{std::make_unique<binance::spot_dialect>()};
  if (name == "binance_perpetual") return std::unique_ptr<dialect>{std::make_unique<binance::usdm_dialect>()};
  if (name == "okx") return std::unique_ptr<dialect>{std::make_unique<okx::okx_dialect>(okx::flavour::spot)};
  if (name == "okx_perpetual")
    return std::unique_ptr<dialect>{std::make_unique<okx::okx_dialect>(okx::flavour::swap)};
  std::string known;
  for (auto candidate : dialect_names()) known += (known.empty() ? "" : ", ") + std::string{candidate};
  return unexpected{"unknown dialect \"" + std::string{name} + "\" (known: " + known + ")"};
}

} // namespace tern::sim
