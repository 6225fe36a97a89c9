#include <catch2/catch.hpp>

#include "config/json_document.hpp"

using namespace tern::config;

TEST_CASE("pointers escape '~' and '/' as RFC 6901 says") {
  CHECK(pointer_append("", "exchanges") == "/exchanges");
  CHECK(pointer_append("/exchanges", 1) == "/exchanges/1");
  CHECK(pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
  CHECK(pointer_append("/a", "") == "/a/");
}

TEST_CASE("the source text of every fractional number is kept by its pointer") {
  auto document = parse_json_document(R"({"a": 0.1, "b": [1, 2.50, {"c~/d": 1e-8}], "e": 7,
                                          "f": 123456789.123456789012345678})");
  REQUIRE(document.ok());
  CHECK(document.number_text.at("/a") == "0.1");
  CHECK(document.number_text.at("/b/1") == "2.50");
  CHECK(document.number_text.at("/b/2/c~0~1d") == "1e-8");
  // More digits than a double holds: the text is what the reader will parse.
  CHECK(document.number_text.at("/f") == "123456789.123456789012345678");
  CHECK_FALSE(document.number_text.contains("/e"));  // integers are exact in the tree
  CHECK(document.root["b"][2]["c~/d"].get<double>() == Approx(1e-8));
}

TEST_CASE("a duplicate key is an error at its pointer, and the tree is still built") {
  auto document = parse_json_document(R"({"x": {"k": 1, "k": 2}, "y": [{"k": 1}, {"k": 2}]})");
  REQUIRE(document.errors.size() == 1);
  CHECK(document.errors[0].pointer == "/x/k");
  CHECK(document.errors[0].message.find("duplicate key \"k\"") != std::string::npos);
  CHECK(document.root["x"]["k"] == 2);
  CHECK(document.root["y"][1]["k"] == 2);
}

TEST_CASE("a syntax error names line and column but never the text it stopped at") {
  auto document = parse_json_document("{\n  \"api_key_env\": \"K\",\n  \"x\": tr0ub4dor\n}");
  REQUIRE(document.errors.size() == 1);
  const auto& error = document.errors[0];
  CHECK(error.pointer.empty());
  CHECK(error.message.find("line 3") != std::string::npos);
  CHECK(error.message.find("tr0ub4dor") == std::string::npos);
  CHECK(error.message.find("tr0") == std::string::npos);
  CHECK(error.message.find("[json.exception") == std::string::npos);
  CHECK(document.root.is_null());
}

TEST_CASE("an unterminated string is reported without its contents") {
  auto document = parse_json_document("{\"secret_env\": \"hunter2-correct-horse");
  REQUIRE_FALSE(document.ok());
  CHECK(document.errors[0].message.find("hunter2") == std::string::npos);
}
