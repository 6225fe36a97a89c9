// The self-pipe signal watch, without CAF: a raised SIGTERM or SIGINT, a notify, a timeout.

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>

#include "actors/signal_watch.hpp"

using namespace std::chrono_literals;

TEST_CASE("a SIGTERM raised in the process wakes the watch with its number") {
  tern::signal_watch watch;
  REQUIRE(std::raise(SIGTERM) == 0); // the handler runs before raise returns
  CHECK(watch.wait_for(5000ms) == SIGTERM);
}

TEST_CASE("a SIGINT raised in the process wakes the watch with its number") {
  tern::signal_watch watch;
  REQUIRE(std::raise(SIGINT) == 0);
  CHECK(watch.wait() == SIGINT);
}

TEST_CASE("after the first signal the previous disposition is back") {
  struct sigaction before {};
  REQUIRE(::sigaction(SIGTERM, nullptr, &before) == 0);
  tern::signal_watch watch;
  struct sigaction during {};
  REQUIRE(::sigaction(SIGTERM, nullptr, &during) == 0);
  CHECK(during.sa_handler != before.sa_handler);
  REQUIRE(std::raise(SIGTERM) == 0);
  REQUIRE(watch.wait() == SIGTERM);
  struct sigaction after {};
  REQUIRE(::sigaction(SIGTERM, nullptr, &after) == 0);
  CHECK(after.sa_handler == before.sa_handler);
}

TEST_CASE("notify wakes the watch without a signal") {
  tern::signal_watch watch;
  watch.notify();
  CHECK(watch.wait_for(5000ms) == 0);
}

TEST_CASE("waiting with nothing pending times out") {
  tern::signal_watch watch;
  CHECK_FALSE(watch.wait_for(20ms).has_value());
}

TEST_CASE("only one watch may exist at a time") {
  tern::signal_watch watch;
  CHECK_THROWS_AS(tern::signal_watch{}, std::logic_error);
}
