#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/md5.hpp"

using tern::md5;
using tern::md5_hex;

TEST_CASE("md5 matches the RFC 1321 test suite") {
  // RFC 1321, appendix A.5.
  const std::vector<std::pair<std::string, std::string>> suite = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
       "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& [input, digest] : suite) {
    INFO("input: \"" << input << "\"");
    CHECK(md5_hex(input) == digest);
  }
}

TEST_CASE("md5 pads correctly around the 56- and 64-byte block boundaries") {
  // Digests of runs of 'a' from GNU coreutils md5sum, an independent implementation. 55 bytes
  // is the longest message padded within one block; 56 to 63 need a second block.
  const std::vector<std::pair<std::size_t, std::string>> runs = {
      {55, "ef1772b6dff9a122358552954ad0df65"},  {56, "3b0c8ac703f828b04c6c197006d17218"},
      {57, "652b906d60af96844ebd21b674f35e93"},  {63, "b06521f39153d618550606be297466d5"},
      {64, "014842d480b571495a4a0363793f7367"},  {65, "c743a45e0d2e6a95cb859adae0248435"},
      {119, "8a7bd0732ed6a28ce75f6dabc90e1613"}, {120, "5f61c0ccad4cac44c75ff505e1f1e537"},
      {128, "e510683b3f5ffe4093d021808bc6ff70"},
  };
  for (const auto& [length, digest] : runs) {
    INFO("length " << length);
    CHECK(md5_hex(std::string(length, 'a')) == digest);
  }
}

TEST_CASE("md5 of a million 'a' characters") {
  CHECK(md5_hex(std::string(1'000'000, 'a')) == "7707d6ae4e027c70eea2a935c2296f21");
}

TEST_CASE("md5 bytes and hex text agree") {
  auto digest = md5("abc");
  CHECK(digest[0] == 0x90);
  CHECK(digest[15] == 0x72);
  CHECK(md5_hex("abc").size() == 32);
}

TEST_CASE("md5 treats bytes above 0x7f as unsigned") {
  // printf '\xff\x80' | md5sum
  CHECK(md5_hex("\xff\x80") == "8a72eb04e26e12be58f5dee1e5280efd");
}
