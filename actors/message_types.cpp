#include "actors/message_types.hpp"

#include <caf/actor_system_config.hpp>

namespace tern {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::tern>();
}

} // namespace tern
