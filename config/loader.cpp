#include "config/loader.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>
#include <sstream>

#include "config/reading.hpp"

namespace tern::config {

load_result load_topology(std::string_view json_text, const std::filesystem::path& base_dir) {
  json_document document = parse_json_document(json_text);
  load_result result;
  if (document.root.is_null() && !document.ok()) {
    result.diagnostics = std::move(document.errors);
    return result;
  }
  reader_context context{document};
  for (auto& error : document.errors) context.error(error.pointer, error.message);

  detail::read_state state;
  state.base_dir = base_dir;
  object_reader root{value_at{context, document.root, ""}, "a topology object"};
  // Order matters: each section may refer to the ones read before it.
  detail::read_nodes(root, state);
  state.result.supervision = detail::read_supervision(root, supervision_policy{});
  detail::read_exchanges(root, state);
  detail::read_strategies(root, state);
  detail::read_ops(root, state);
  detail::read_logging(root, state);
  detail::read_simulator(root, state);
  detail::read_cluster(root, state);
  root.finish();

  if (context.error_count() == 0) result.value = std::move(state.result);
  result.diagnostics = context.take_diagnostics();
  return result;
}

load_result load_topology_file(const std::filesystem::path& file) {
  std::ifstream in{file, std::ios::binary};
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    std::error_code error{errno, std::generic_category()};
    load_result result;
    result.diagnostics.push_back({severity::error, "", "cannot read the file: " + error.message()});
    return result;
  }
  return load_topology(text.str(), file.parent_path());
}

} // namespace tern::config
