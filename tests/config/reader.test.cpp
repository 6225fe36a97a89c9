#include <catch2/catch.hpp>

#include <array>

#include "config/reader.hpp"

using namespace tern;
using namespace tern::config;

namespace {

// Reads `text` as {"count": int 1..10 (required), "label": string (default "none"),
// "price": decimal > 0 (optional)} and returns what was read plus every diagnostic.
struct sample {
  std::optional<std::int64_t> count;
  std::string label;
  std::optional<decimal> price;
  std::vector<diagnostic> diagnostics;
};

sample read_sample(std::string_view text) {
  auto document = parse_json_document(text);
  REQUIRE(document.ok());
  reader_context context{document};
  object_reader object{value_at{context, document.root, ""}};
  sample result;
  result.count = object.required("count", integer_field{1, 10});
  result.label = object.optional("label", string_field{}, std::string{"none"});
  result.price = object.optional("price", decimal_field{"0"_d, std::nullopt, true});
  object.finish();
  result.diagnostics = context.take_diagnostics();
  return result;
}

std::vector<std::string> lines(const std::vector<diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.to_string());
  return out;
}

} // namespace

TEST_CASE("declared keys are read with their defaults") {
  auto result = read_sample(R"({"count": 3})");
  CHECK(result.diagnostics.empty());
  CHECK(result.count == 3);
  CHECK(result.label == "none");
  CHECK_FALSE(result.price.has_value());
}

TEST_CASE("every problem in an object is reported at once, each at its pointer") {
  auto result = read_sample(R"({"label": 5, "price": "-1", "cuont": 3, "zzz": true})");
  CHECK(lines(result.diagnostics) == std::vector<std::string>{
      "error: /count: missing required key (expected an integer from 1 to 10)",
      "error: /label: expected a non-empty string, got a number",
      "error: /price: expected a decimal (as a string or number) greater than 0, got -1",
      "error: /cuont: unknown key \"cuont\" (did you mean \"count\"?)",
      "error: /zzz: unknown key \"zzz\"; expected one of: count, label, price",
  });
  CHECK(result.label == "none");  // an invalid optional value falls back to the default
}

TEST_CASE("integers outside their bounds or with a fraction are refused") {
  CHECK(lines(read_sample(R"({"count": 11})").diagnostics) ==
        std::vector<std::string>{"error: /count: expected an integer from 1 to 10, got 11"});
  CHECK(lines(read_sample(R"({"count": 2.5})").diagnostics) ==
        std::vector<std::string>{"error: /count: expected an integer from 1 to 10, got 2.5"});
  CHECK(lines(read_sample(R"({"count": 18446744073709551615})").diagnostics) ==
        std::vector<std::string>{"error: /count: expected an integer from 1 to 10, got 18446744073709551615"});
}

TEST_CASE("decimals from JSON numbers are exact, never rounded through double") {
  // 0.1 and 123456789.123456789012345678 have no exact double; both must arrive digit for digit.
  CHECK(read_sample(R"({"count": 1, "price": 0.1})").price == "0.1"_d);
  CHECK(read_sample(R"({"count": 1, "price": 123456789.123456789012345678})").price ==
        "123456789.123456789012345678"_d);
  CHECK(read_sample(R"({"count": 1, "price": 1e-8})").price == "0.00000001"_d);
  CHECK(read_sample(R"({"count": 1, "price": 42})").price == "42"_d);
  CHECK(read_sample(R"({"count": 1, "price": "0.003"})").price == "0.003"_d);
}

TEST_CASE("a decimal that does not parse says why") {
  auto result = read_sample(R"({"count": 1, "price": "0.1.2"})");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].pointer == "/price");
  CHECK(result.diagnostics[0].message.find("invalid decimal \"0.1.2\"") != std::string::npos);
  result = read_sample(R"({"count": 1, "price": 0.0000000000000000001})");
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].pointer == "/price");
}

TEST_CASE("a value that is not an object is reported and its keys are not") {
  auto document = parse_json_document(R"([1, 2])");
  reader_context context{document};
  object_reader object{value_at{context, document.root, ""}, "a topology object"};
  CHECK_FALSE(object.required("count", integer_field{1, 10}).has_value());
  object.finish();
  CHECK(lines(context.take_diagnostics()) ==
        std::vector<std::string>{"error: (root): expected a topology object, got an array"});
}

TEST_CASE("an undeclared secret-looking key is refused as an inline secret without echoing it") {
  auto document = parse_json_document(R"({"api_key_env": "K", "api_key": "AbCdEf0123456789", "password": "pw"})");
  reader_context context{document};
  object_reader object{value_at{context, document.root, ""}};
  (void)object.optional("api_key_env", env_name_field{});
  object.finish();
  auto diagnostics = context.take_diagnostics();
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].pointer == "/api_key");
  CHECK(diagnostics[0].message.find("inline secret \"api_key\"") == 0);
  CHECK(diagnostics[0].message.find("\"api_key_env\"") != std::string::npos);
  CHECK(diagnostics[1].pointer == "/password");
  CHECK(diagnostics[1].message.find("inline secret \"password\"") == 0);
  for (const auto& d : diagnostics) CHECK(d.message.find("AbCdEf0123456789") == std::string::npos);
}

TEST_CASE("an environment variable name that may be a pasted secret is refused and not echoed") {
  auto document = parse_json_document(R"({"a": "TERN_KEY_1", "b": "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy", "c": "1ABC"})");
  reader_context context{document};
  object_reader object{value_at{context, document.root, ""}};
  CHECK(object.required("a", env_name_field{}) == "TERN_KEY_1");
  CHECK_FALSE(object.required("b", env_name_field{}).has_value());
  CHECK_FALSE(object.required("c", env_name_field{}).has_value());
  object.finish();
  auto diagnostics = context.take_diagnostics();
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].message.find("vmPUZE6") == std::string::npos);
}

TEST_CASE("choices suggest the closest name or list them all") {
  enum class colour { red, green };
  constexpr std::array<choice<colour>, 2> colours = {{{"red", colour::red}, {"green", colour::green}}};
  auto document = parse_json_document(R"({"a": "green", "b": "gren", "c": "blue"})");
  reader_context context{document};
  object_reader object{value_at{context, document.root, ""}};
  choice_field<colour> field{colours, "colour"};
  CHECK(object.required("a", field) == colour::green);
  CHECK_FALSE(object.required("b", field).has_value());
  CHECK_FALSE(object.required("c", field).has_value());
  object.finish();
  CHECK(lines(context.take_diagnostics()) == std::vector<std::string>{
      "error: /b: unknown colour \"gren\" (did you mean \"green\"?)",
      "error: /c: unknown colour \"blue\"; expected one of: red, green",
  });
}

TEST_CASE("closest_match accepts typos and rejects unrelated words") {
  constexpr std::array<std::string_view, 4> keys = {"markets", "connector", "node", "credentials"};
  CHECK(closest_match("marekts", keys) == "markets");    // swapped neighbours: one edit
  CHECK(closest_match("Markets", keys) == "markets");    // case is ignored
  CHECK(closest_match("conector", keys) == "connector");
  CHECK(closest_match("credentails", keys) == "credentials");
  CHECK(closest_match("nod", keys) == "node");
  CHECK(closest_match("strategy", keys).empty());
  CHECK(closest_match("x", keys).empty());
}

TEST_CASE("arrays report their type and size and visit every element") {
  auto document = parse_json_document(R"({"one": [1], "not": {"a": 1}})");
  reader_context context{document};
  std::vector<std::string> visited;
  auto visit = [&](const value_at& at) { visited.push_back(at.pointer); };
  for_each_element(value_at{context, document.root["one"], "/one"}, "things", 2, visit);
  for_each_element(value_at{context, document.root["not"], "/not"}, "things", 0, visit);
  CHECK(visited == std::vector<std::string>{"/one/0"});
  CHECK(lines(context.take_diagnostics()) == std::vector<std::string>{
      "error: /one: expected at least 2 things, got 1",
      "error: /not: expected an array of things, got an object",
  });
}
