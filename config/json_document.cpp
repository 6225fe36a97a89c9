#include "config/json_document.hpp"

#include <memory>
#include <utility>

namespace tern::config {

std::string pointer_append(std::string_view base, std::string_view key) {
  std::string out{base};
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(std::string_view base, std::size_t index) {
  std::string out{base};
  out += '/';
  out += std::to_string(index);
  return out;
}

namespace {

using json = nlohmann::json;

// nlohmann's message quotes the token it stopped at ("last read: '...'"); drop that part.
std::string syntax_message(const std::string& what) {
  std::string text = what;
  if (auto bracket = text.find("] "); text.starts_with("[json.exception.") && bracket != std::string::npos)
    text.erase(0, bracket + 2);
  static constexpr std::string_view marker = "; last read: '";
  if (auto start = text.find(marker); start != std::string::npos) {
    auto expected = text.find("'; expected", start + marker.size());
    text.erase(start, expected == std::string::npos ? std::string::npos : expected + 1 - start);
  }
  return text;
}

// Builds the tree like nlohmann's own DOM parser while tracking each value's JSON pointer.
class pointer_tracking_builder {
 public:
  explicit pointer_tracking_builder(json_document& document) : document_(document) {}

  bool null() { return add(json(nullptr)); }
  bool boolean(bool value) { return add(json(value)); }
  bool number_integer(json::number_integer_t value) { return add(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return add(json(value)); }
  bool number_float(json::number_float_t value, const std::string& text) {
    if (!add(json(value))) return false;
    document_.number_text.emplace(last_pointer_, text);
    return true;
  }
  bool string(std::string& value) { return add(json(std::move(value))); }
  bool binary(json::binary_t& value) { return add(json(std::move(value))); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    auto& object = *open_.back().value;
    std::string pointer = pointer_append(open_.back().pointer, name);
    if (object.contains(name))
      document_.errors.push_back({severity::error, pointer, "duplicate key " + quote(name) +
                                  " in the same object (JSON keeps only the last)"});
    pending_key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    document_.errors.push_back({severity::error, "", syntax_message(error.what())});
    return false;
  }

 private:
  struct open_container {
    json* value;
    std::string pointer;
  };

  bool add(json value) {
    slot(std::move(value));
    return true;
  }

  json* slot(json value) {
    if (open_.empty()) {
      document_.root = std::move(value);
      last_pointer_.clear();
      return &document_.root;
    }
    open_container& parent = open_.back();
    if (parent.value->is_array()) {
      last_pointer_ = pointer_append(parent.pointer, parent.value->size());
      parent.value->push_back(std::move(value));
      return &parent.value->back();
    }
    last_pointer_ = pointer_append(parent.pointer, pending_key_);
    json& target = (*parent.value)[pending_key_];
    target = std::move(value);
    return &target;
  }

  bool open(json container) {
    json* value = slot(std::move(container));
    open_.push_back({value, last_pointer_});
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  json_document& document_;
  std::vector<open_container> open_;
  std::string pending_key_;
  std::string last_pointer_;
};

} // namespace

json_document parse_json_document(std::string_view text) {
  json_document document;
  pointer_tracking_builder builder{document};
  bool complete = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
  if (!complete) {
    // A partial tree would produce misleading "missing key" errors after the syntax error.
    document.root = nullptr;
    document.number_text.clear();
    std::erase_if(document.errors, [](const diagnostic& d) { return !d.pointer.empty(); });
  }
  return document;
}

} // namespace tern::config
