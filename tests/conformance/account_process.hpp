#pragma once

// The account child program (crash_account.cpp) driven line by line over its stdin and stdout.

#include <string>
#include <utility>
#include <vector>

#include "tests/support/line_process.hpp"

namespace tern::testing {

class account_process : public line_process {
 public:
  account_process(const std::string& program, std::vector<std::string> args)
      : line_process(program, std::move(args), {}, input::pipe) {}
};

} // namespace tern::testing
