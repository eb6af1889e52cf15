#include "server/auth/login_backoff.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

using std::chrono::seconds;
using Clock = LoginBackoff::Clock;

TEST(LoginBackoff, FreeFailuresThenDoublingWaitsUpToTheCap) {
  LoginBackoff b;
  Clock::time_point now{};
  for (int i = 0; i < 5; ++i) {
    b.failed("a", now);
    EXPECT_EQ(b.wait("a", now), seconds(0)) << i;
  }
  for (int expected : {1, 2, 4, 8, 16, 32, 60, 60}) {
    b.failed("a", now);
    EXPECT_EQ(b.wait("a", now), seconds(expected));
    EXPECT_EQ(b.wait("a", now + std::chrono::milliseconds(1)), seconds(expected));  // rounded up
    now += seconds(expected);
    EXPECT_EQ(b.wait("a", now), seconds(0));
  }
  EXPECT_EQ(b.wait("b", now), seconds(0));
  b.succeeded("a");
  EXPECT_EQ(b.tracked_clients(), 0u);
}

TEST(LoginBackoff, TableIsCappedAndDropsTheOldestFailure) {
  LoginBackoffOptions o;
  o.max_clients = 3;
  o.free_failures = 0;
  LoginBackoff b(o);
  Clock::time_point now{};
  for (const char* client : {"a", "b", "c", "d"}) {
    now += seconds(1);
    b.failed(client, now);
  }
  EXPECT_EQ(b.tracked_clients(), 3u);
  EXPECT_EQ(b.wait("a", now), seconds(0));  // dropped: its failure was the oldest
  EXPECT_EQ(b.wait("d", now), seconds(1));
}

}  // namespace
}  // namespace iw::server
