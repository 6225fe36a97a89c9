#pragma once

// Runs a shell command (promtool, Chromium, the tern binary) and collects what it prints.

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tern::testing {

/// What a command printed (stdout, plus stderr when the command redirects it) and its exit
/// status (-1 when it did not exit normally).
struct command_result {
  int status = -1;
  std::string output;
};

/// Runs `command` through /bin/sh; `input`, when given, is its standard input.
inline command_result run_shell(std::string command, const std::string* input = nullptr) {
  std::string input_path;
  if (input != nullptr) {
    char path[] = "/tmp/tern_input_XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0)
      throw std::runtime_error{"run_shell: cannot create an input file"};
    const bool written = ::write(fd, input->data(), input->size())
                         == static_cast<ssize_t>(input->size());
    ::close(fd);
    input_path = path;
    if (!written)
      throw std::runtime_error{"run_shell: cannot write the input file"};
    command += " < " + input_path;
  }
  command_result result;
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
      result.output += buffer;
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  if (!input_path.empty())
    ::unlink(input_path.c_str());
  return result;
}

} // namespace tern::testing
